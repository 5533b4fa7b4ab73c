/**
 * Which Azure cloud ARM calls go to, chosen the way azure-native chooses it: the stack config
 * `azure-native:environment`, else `ARM_ENVIRONMENT`, else `AZURE_ENVIRONMENT` (public,
 * usgovernment, china; pulumi/pulumi-azure-native provider/pkg/provider/auth_azidentity.go
 * `getCloud`), unless an explicit endpoint overrides it. The override exists so tests (and
 * sovereign or proxied setups) can aim the client elsewhere.
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

/**
 * Resolves the cloud from `config.environment` (the `azure-native:environment` stack config),
 * else `ARM_ENVIRONMENT`, else `AZURE_ENVIRONMENT`; none set means the public cloud. Throws on
 * an unknown name, naming where it came from.
 */
export function resolveArmCloud(env: Readonly<Record<string, string | undefined>>, config: { environment?: string } = {}): ArmCloud {
  const sources: [string, string | undefined][] = [
    ["azure-native:environment", config.environment],
    ["ARM_ENVIRONMENT", env.ARM_ENVIRONMENT],
    ["AZURE_ENVIRONMENT", env.AZURE_ENVIRONMENT],
  ];
  const found = sources.find(([, v]) => v !== undefined && v.trim() !== "");
  if (found === undefined) return CLOUDS.public;
  const raw = found[1]!.trim();
  const name = ALIASES[raw.toLowerCase()];
  if (name === undefined) {
    throw new Error(`${found[0]}="${raw}" is not a cloud this project knows; use one of: public, usgovernment, china.`);
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
