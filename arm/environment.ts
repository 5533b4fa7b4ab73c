/**
 * Which Azure cloud ARM calls go to, chosen the way azure-native chooses it: from
 * `ARM_ENVIRONMENT` (public, usgovernment, china), unless an explicit endpoint overrides it.
 * The override exists so tests (and sovereign or proxied setups) can aim the client elsewhere.
 */

export interface ArmCloud {
  /** Canonical name, as azure-native spells it. */
  name: "public" | "usgovernment" | "china";
  /** Base URL of Azure Resource Manager, without a trailing slash. */
  resourceManagerEndpoint: string;
  /** Microsoft Entra authority host used by the token credentials. */
  authorityHost: string;
}

const CLOUDS: Record<ArmCloud["name"], ArmCloud> = {
  public: { name: "public", resourceManagerEndpoint: "https://management.azure.com", authorityHost: "https://login.microsoftonline.com" },
  usgovernment: {
    name: "usgovernment",
    resourceManagerEndpoint: "https://management.usgovcloudapi.net",
    authorityHost: "https://login.microsoftonline.us",
  },
  china: { name: "china", resourceManagerEndpoint: "https://management.chinacloudapi.cn", authorityHost: "https://login.chinacloudapi.cn" },
};

/** Spellings accepted for each cloud: azure-native's short names plus the Azure CLI's cloud names. */
const ALIASES: Record<string, ArmCloud["name"]> = {
  public: "public",
  azurecloud: "public",
  azurepubliccloud: "public",
  usgovernment: "usgovernment",
  azureusgovernment: "usgovernment",
  azureusgovernmentcloud: "usgovernment",
  china: "china",
  azurechinacloud: "china",
};

/** Resolves `ARM_ENVIRONMENT` (unset or empty means the public cloud). Throws on an unknown name. */
export function resolveArmCloud(env: Readonly<Record<string, string | undefined>>): ArmCloud {
  const raw = (env.ARM_ENVIRONMENT ?? "").trim();
  if (raw === "") return CLOUDS.public;
  const name = ALIASES[raw.toLowerCase()];
  if (name === undefined) {
    throw new Error(`ARM_ENVIRONMENT="${raw}" is not a cloud this project knows; use one of: public, usgovernment, china.`);
  }
  return CLOUDS[name];
}

/**
 * The ARM endpoint to call: the explicit override when given (validated as an https URL,
 * because the Azure SDK refuses to send bearer tokens over plain http), else the cloud's.
 */
export function resolveArmEndpoint(cloud: ArmCloud, override?: string): string {
  if (override === undefined || override === "") return cloud.resourceManagerEndpoint;
  let url: URL;
  try {
    url = new URL(override);
  } catch {
    throw new Error(`ARM endpoint "${override}" is not a URL; expected something like https://management.azure.com`);
  }
  if (url.protocol !== "https:") {
    throw new Error(`ARM endpoint "${override}" must use https: the Azure SDK will not send bearer tokens over plain http.`);
  }
  return url.toString().replace(/\/+$/, "");
}
