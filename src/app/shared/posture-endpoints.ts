import type { Category, Criticality, PostureEndpoint, Severity } from '../../domain/index.js';
import type { InventoryIndex } from './inventory-index.js';

export interface PostureInputs {
  endpoints: readonly {
    host: string;
    port: number;
    assetId?: string;
    assessed: boolean;
    closed?: boolean;
    /** Probe families that failed on the endpoint, with the part of the index each leaves unevaluated. */
    errors?: readonly { postureCategory?: Category }[];
  }[];
  findings: readonly {
    host: string;
    port: number;
    severity: Severity;
    category: Category;
    waived: boolean;
  }[];
  inventory: InventoryIndex;
}

/** How findings are matched to their endpoint (host without regard to case, port). */
export const postureKey = (e: { host: string; port: number }) => `${e.host.toLowerCase()}|${e.port}`;
const key = postureKey;

type PostureFinding = PostureEndpoint['findings'][number];
type PostureInput = PostureInputs['endpoints'][number];

/**
 * A run's findings grouped by endpoint ({@link postureKey}) as the posture index needs them: one
 * shared object per severity, category and waived, so each finding costs a reference.
 */
export class PostureFindings {
  private readonly kinds = new Map<string, PostureFinding>();
  readonly byEndpoint = new Map<string, PostureFinding[]>();

  add(f: PostureInputs['findings'][number]): void {
    const kindKey = `${f.severity}|${f.category}|${f.waived}`;
    let kind = this.kinds.get(kindKey);
    if (!kind) {
      kind = { severity: f.severity, category: f.category, waived: f.waived };
      this.kinds.set(kindKey, kind);
    }
    const k = key(f);
    const list = this.byEndpoint.get(k);
    if (list) list.push(kind);
    else this.byEndpoint.set(k, [kind]);
  }
}

/**
 * Endpoints as the posture index sees them: owner and criticality from the inventory (ad-hoc
 * endpoints count as medium, without owner); ports tried by default where nothing listens are left
 * out, so closing a service never counts as a healthy endpoint of its own.
 */
export function postureEndpoints(inputs: PostureInputs): PostureEndpoint[] {
  const grouped = new PostureFindings();
  for (const f of inputs.findings) grouped.add(f);
  return postureEndpointsOf(inputs.endpoints, grouped.byEndpoint, inputs.inventory);
}

/**
 * {@link postureEndpoints} from findings already grouped by endpoint ({@link PostureFindings}): what a
 * report read page by page gathers.
 */
export function postureEndpointsOf(
  endpoints: readonly PostureInput[],
  byEndpoint: ReadonlyMap<string, PostureEndpoint['findings']>,
  inventory: InventoryIndex,
): PostureEndpoint[] {
  return endpoints.flatMap((e) => postureEndpointOf(e, byEndpoint, inventory) ?? []);
}

/** One endpoint as the posture index sees it ({@link postureEndpoints}); none for a closed port. */
export function postureEndpointOf(
  e: PostureInput,
  byEndpoint: ReadonlyMap<string, PostureEndpoint['findings']>,
  inventory: InventoryIndex,
): PostureEndpoint | undefined {
  if (e.closed) return undefined;
  const asset = e.assetId ? inventory.assets.get(e.assetId) : undefined;
  const criticality: Criticality = asset?.criticality ?? 'medium';
  return {
    host: e.host,
    port: e.port,
    ...(e.assetId ? { assetId: e.assetId } : {}),
    ...(asset ? { owner: asset.owner } : {}),
    criticality,
    // An endpoint that could not be assessed still carries its open findings (at least its
    // scan.timeout or scan.error): it counts with them, so "could not tell" never raises the index.
    assessed: e.assessed || byEndpoint.has(key(e)),
    ...notEvaluatedOf(e.errors),
    findings: byEndpoint.get(key(e)) ?? [],
  };
}

/** The categories a failed probe family leaves unevaluated (older stored runs did not say: none). */
function notEvaluatedOf(
  errors: readonly { postureCategory?: Category }[] | undefined,
): Pick<PostureEndpoint, 'notEvaluated'> {
  const categories = [
    ...new Set((errors ?? []).flatMap((e) => (e.postureCategory ? [e.postureCategory] : []))),
  ];
  return categories.length > 0 ? { notEvaluated: categories } : {};
}
