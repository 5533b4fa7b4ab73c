/**
 * `npm run finetune -- --stack <s> --cancel`, the step teardown runs before purging the
 * workspaces: idempotent, only this tool's jobs of this stack, waits until they stop.
 */
import { fakeClock, startFakeMl, type FakeJob, type FakeMl } from "./fakeMl";
import { deploy, harness, stackYaml, STACK, writeStack } from "./helpers";

let fake: FakeMl;
let clock: ReturnType<typeof fakeClock>;
beforeEach(async () => {
  clock = fakeClock();
  fake = await startFakeMl(clock.now);
});
afterEach(() => fake.close());

function seed(workspace: string, name: string, status: string, tags: Record<string, string>): FakeJob {
  const job: FakeJob = { name, workspace, properties: { jobType: "FineTuning", tags }, status, script: [], createdAt: new Date(clock.now()).toISOString(), metrics: {} };
  fake.jobs.set(name, job);
  return job;
}

const OURS = { "llama-finetune-env.tool": "finetune", stack: STACK };
const cancels = () => fake.requests.filter((r) => r.method === "POST" && r.path.endsWith("/cancel")).map((r) => r.path.split("/").at(-2));

test("cancels every running job this tool submitted for the stack, leaves the rest, waits until they stop", async () => {
  const dir = writeStack(stackYaml());
  const ctx = await deploy(fake, dir);
  const ws = ctx.names.project;
  seed(ws, "ours-running", "Running", OURS);
  seed(ws, "ours-queued", "Queued", OURS);
  seed(ws, "ours-done", "Completed", OURS);
  seed(ws, "other-stack", "Running", { ...OURS, stack: "dev" });
  seed(ws, "portal-job", "Running", {});
  fake.pageSize = 2; // the list is paged; every page must be read
  const run = await harness(fake, dir, clock).run(["--cancel"]);
  expect(run.code).toBe(0);
  expect(cancels().sort()).toEqual(["ours-queued", "ours-running"]);
  expect(run.stdout).toBe("canceled: ours-running (Canceled), ours-queued (Canceled)\n");
  expect(fake.jobs.get("other-stack")!.status).toBe("Running");
  expect(fake.jobs.get("portal-job")!.status).toBe("Running");
  expect(fake.requests.filter((r) => r.path.endsWith("/jobs")).map((r) => r.query.skip ?? "0")).toEqual(["0", "2", "4"]);
  // Jobs pass through CancelRequested: one poll interval is waited.
  expect(clock.sleeps).toEqual([10_000]);
});

test("idempotent: nothing running, or no project at all, is a successful skip", async () => {
  const dir = writeStack(stackYaml());
  const h = harness(fake, dir, clock);
  const noProject = await h.run(["--cancel"]);
  expect(noProject).toMatchObject({ code: 0, stdout: "skipped: project not found\n" });
  const ctx = await deploy(fake, dir);
  seed(ctx.names.project, "ours-done", "Completed", OURS);
  const nothing = await h.run(["--cancel", "--json"]);
  expect(nothing.code).toBe(0);
  expect(JSON.parse(nothing.stdout)).toEqual({ stack: STACK, outcome: "skipped", reason: "no running job" });
  expect(cancels()).toEqual([]);
});

test("a job that ends on its own between the list and the cancel is not an error", async () => {
  const dir = writeStack(stackYaml());
  const ctx = await deploy(fake, dir);
  seed(ctx.names.project, "ours-finishing", "Finalizing", OURS);
  fake.faults.push({ method: "POST", path: /\/cancel$/, times: 1, response: { status: 400, body: { error: { code: "UserError", message: "job already completed" } } } });
  const job = fake.jobs.get("ours-finishing")!;
  job.script = ["Completed"];
  const run = await harness(fake, dir, clock).run(["--cancel"]);
  expect(run.code).toBe(0);
  expect(run.stderr).toMatch(/ours-finishing ended on its own \(Completed\)/);
});

test("jobs that do not stop within --max-wait: exit 1, named", async () => {
  const dir = writeStack(stackYaml());
  const ctx = await deploy(fake, dir);
  seed(ctx.names.project, "ours-stuck", "Running", OURS);
  // The service accepts the cancel but the job never leaves CancelRequested.
  fake.cancelScript = Array<string>(100).fill("CancelRequested");
  const stuck = fake.jobs.get("ours-stuck")!;
  const result = await harness(fake, dir, clock).run(["--cancel", "--max-wait", "1"]);
  expect(stuck.status).toBe("CancelRequested");
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/still not stopped after 1 minutes: ours-stuck \(CancelRequested\)/);
  expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBe(60_000);
});

test("--subscription (what teardown passes) wins over ARM_SUBSCRIPTION_ID: names, and so the project looked for, follow it", async () => {
  const dir = writeStack(stackYaml());
  const ctx = await deploy(fake, dir);
  seed(ctx.names.project, "ours-running", "Running", OURS);
  const other = "99999999-8888-7777-6666-555555555555";
  const elsewhere = await harness(fake, dir, clock).run(["--cancel", "--subscription", other]);
  // The names hash the subscription, so in another subscription this stack's project does not exist.
  expect(elsewhere).toMatchObject({ code: 0, stdout: "skipped: project not found\n" });
  expect(fake.requests.some((r) => r.path.startsWith(`/subscriptions/${other}/`))).toBe(true);
  expect(cancels()).toEqual([]);
  const same = await harness(fake, dir, clock).run(["--cancel", "--subscription", ctx.subscriptionId]);
  expect(same).toMatchObject({ code: 0, stdout: "canceled: ours-running (Canceled)\n" });
});
