/**
 * The `principals` key: who may work in the project. Each is a Microsoft Entra object id with
 * its type; placeholders and duplicates are refused, because ARM would refuse them later
 * (PrincipalNotFound for a placeholder, RoleAssignmentExists for a second grant of one principal),
 * after part of the stack was created.
 */
import { z } from "zod";
import { PRINCIPAL_TYPES } from "./roles";

const listOf = (values: readonly string[]) => values.map((v) => `"${v}"`).join(", ");

/**
 * Object ids whose first 12 hex digits are zero are placeholders (real Entra object ids are
 * random GUIDs): ARM would answer `PrincipalNotFound` for them, after the stack has started.
 */
const PLACEHOLDER_OBJECT_ID = /^00000000-0000-/;

export const principalsSchema = z
  .array(
    z.strictObject(
      {
        objectId: z
          .uuid({ error: "must be the Microsoft Entra object id (a GUID) of a user, group or service principal" })
          .refine((id) => !PLACEHOLDER_OBJECT_ID.test(id), {
            error: "is a placeholder, not a real object id: put the object id of the user, group or service principal here (e.g. `az ad group show --group <name> --query id -o tsv`), or remove the entry",
          }),
        type: z.enum(PRINCIPAL_TYPES, { error: `must be one of ${listOf(PRINCIPAL_TYPES)}` }),
      },
      { error: `must be { objectId, type }: a Microsoft Entra object id and one of ${listOf(PRINCIPAL_TYPES)}` },
    ),
    { error: "must be a list of { objectId, type } entries (users, groups or service principals)" },
  )
  .superRefine((principals, ctx) => {
    // Object ids are case-insensitive: two spellings of one id would grant the same roles twice.
    const first = new Map<string, number>();
    principals.forEach((p, i) => {
      if (typeof p?.objectId !== "string") return;
      const id = p.objectId.toLowerCase();
      const earlier = first.get(id);
      if (earlier === undefined) first.set(id, i);
      else ctx.addIssue({ code: "custom", path: [i, "objectId"], message: `names the same principal as principals[${earlier}] (object ids are case-insensitive); list each principal once` });
    });
  })
  .default([]);

