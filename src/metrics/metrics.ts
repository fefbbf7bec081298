// Prometheus metrics (issue 14), one registry per app. Labels stay bounded: actions come from the OCPP schemas
// (anything else is `other`), OCPI modules from the mounted list, jobs from the registry, status codes and
// outcomes from small sets; never a charger id, token or partner.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Outcomes of a command; a charger's CALLERROR code outside the OCPP-J sets is counted as `other`. */
const COMMAND_OUTCOMES = new Set(['ok', 'Timeout', 'Disconnected', 'InvalidResponse', 'NotImplemented', 'NotSupported', 'InternalError', 'ProtocolError',
  'SecurityError', 'FormationViolation', 'FormatViolation', 'PropertyConstraintViolation', 'OccurenceConstraintViolation', 'OccurrenceConstraintViolation',
  'TypeConstraintViolation', 'GenericError', 'MessageTypeNotSupported', 'RpcFrameworkError']);

const FAST = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const SLOW = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

/** What the gauges read at each scrape; each source is optional. */
export interface MetricSources {
  /** Connected chargers on this node by OCPP protocol. */
  connectedChargers?: () => Record<string, number>;
  /** Outbox rows by status and the oldest PENDING row's creation time. */
  outbox?: () => Promise<{ byStatus: Record<string, number>; oldestPendingAt: Date | null }>;
  /** The database pool's use. */
  pool?: () => { used: number; free: number; pending: number; max: number } | undefined;
  /** Milliseconds since the epoch on the app's clock (for ages). */
  now?: () => number;
}

export class Metrics {
  readonly registry = new Registry();
  private sources: MetricSources = {};
  private readonly ocppMessages: Counter<'action' | 'result'>;
  private readonly ocppHandlerSeconds: Histogram<'action'>;
  private readonly commands: Counter<'action' | 'outcome'>;
  private readonly commandSeconds: Histogram<'action'>;
  private readonly ocpiRequests: Counter<'module' | 'method' | 'status'>;
  private readonly ocpiSeconds: Histogram<'module' | 'method'>;
  private readonly jobRuns: Counter<'job' | 'result'>;
  private readonly jobSeconds: Histogram<'job'>;
  private readonly querySeconds: Histogram<'result'>;
  private readonly authorizations: Counter<'source' | 'outcome'>;
  private readonly authorizationSeconds: Histogram<'source'>;

  constructor(o: { nodeId: string; ocppActions: Iterable<string> }) {
    const registers = [this.registry];
    this.registry.setDefaultLabels({ node: o.nodeId });
    // Process figures, among them nodejs_eventloop_lag_seconds and its percentiles.
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 10 });
    const actions = new Set(o.ocppActions);
    this.knownAction = (action) => (actions.has(action) ? action : 'other');

    this.ocppMessages = new Counter({ name: 'cpms_ocpp_messages_total', help: 'OCPP calls received from chargers, by action and result (ok or the CALLERROR code)', labelNames: ['action', 'result'], registers });
    this.ocppHandlerSeconds = new Histogram({ name: 'cpms_ocpp_handler_duration_seconds', help: 'Time from receiving an OCPP call to sending its answer (validation, handling, commit)', labelNames: ['action'], buckets: FAST, registers });
    this.commands = new Counter({ name: 'cpms_ocpp_commands_total', help: 'Commands sent to chargers, by action and outcome (ok, the CALLERROR code, Timeout, Disconnected)', labelNames: ['action', 'outcome'], registers });
    this.commandSeconds = new Histogram({ name: 'cpms_ocpp_command_duration_seconds', help: 'Time until a charger answered a command', labelNames: ['action'], buckets: SLOW, registers });
    this.ocpiRequests = new Counter({ name: 'cpms_ocpi_requests_total', help: 'OCPI requests received from partners, by module, method and HTTP status', labelNames: ['module', 'method', 'status'], registers });
    this.ocpiSeconds = new Histogram({ name: 'cpms_ocpi_request_duration_seconds', help: 'OCPI request latency', labelNames: ['module', 'method'], buckets: FAST, registers });
    this.jobRuns = new Counter({ name: 'cpms_job_runs_total', help: 'Scheduled job runs on this node, by job and result', labelNames: ['job', 'result'], registers });
    this.jobSeconds = new Histogram({ name: 'cpms_job_duration_seconds', help: 'Job run duration', labelNames: ['job'], buckets: SLOW, registers });
    this.querySeconds = new Histogram({ name: 'cpms_db_query_duration_seconds', help: 'Database query latency, by result (ok or error)', labelNames: ['result'], buckets: FAST, registers });
    this.authorizations = new Counter({ name: 'cpms_realtime_authorizations_total', help: 'Real-time token authorizations, by source (cache or emsp) and outcome (the AllowedType in lower case, or unknown, rejected, unreachable)', labelNames: ['source', 'outcome'], registers });
    this.authorizationSeconds = new Histogram({ name: 'cpms_realtime_authorization_duration_seconds', help: 'Real-time token authorization latency, by source', labelNames: ['source'], buckets: FAST, registers });

    const sources = () => this.sources;
    new Gauge({
      name: 'cpms_connected_chargers', help: 'Chargers connected to this node, by OCPP protocol', labelNames: ['protocol'], registers,
      collect() {
        this.reset();
        for (const [protocol, count] of Object.entries(sources().connectedChargers?.() ?? {})) this.set({ protocol }, count);
      },
    });
    new Gauge({
      name: 'cpms_db_pool_connections', help: 'Database pool connections by state (used, free, pending acquisitions, max)', labelNames: ['state'], registers,
      collect() {
        const use = sources().pool?.();
        if (!use) return;
        for (const [state, value] of Object.entries(use)) this.set({ state }, value);
      },
    });
    const oldest = new Gauge({ name: 'cpms_ocpi_outbox_oldest_pending_age_seconds', help: 'Age of the oldest PENDING OCPI push (0 when none)', registers });
    new Gauge({
      name: 'cpms_ocpi_outbox_rows', help: 'OCPI push outbox rows waiting (PENDING), in flight (SENDING) and given up (DEAD)', labelNames: ['status'], registers,
      async collect() {
        const { outbox, now } = sources();
        if (!outbox) return;
        const depth = await outbox();
        for (const [status, count] of Object.entries(depth.byStatus)) this.set({ status }, count);
        const at = depth.oldestPendingAt?.getTime();
        oldest.set(at === undefined ? 0 : Math.max(0, ((now?.() ?? Date.now()) - at) / 1000));
      },
    });
  }

  private readonly knownAction: (action: string) => string;
  private readonly ocpiModules = new Set(['versions']);

  /** The OCPI module ids mounted (labels; any other path segment is counted as `other`). */
  knowOcpiModules(ids: Iterable<string>): void {
    for (const id of ids) this.ocpiModules.add(id);
  }

  /** Plugs in what the gauges read (set at composition, once the parts exist). */
  useSources(sources: MetricSources): void {
    this.sources = { ...this.sources, ...sources };
  }

  /** An inbound OCPP call was answered: `error` is the CALLERROR code, absent when it succeeded. */
  ocppCallHandled(action: string, seconds: number, error?: string): void {
    const a = this.knownAction(action);
    this.ocppMessages.inc({ action: a, result: error ?? 'ok' });
    this.ocppHandlerSeconds.observe({ action: a }, seconds);
  }

  /** A command to a charger ended: `outcome` is ok, the CALLERROR code, Timeout or Disconnected. */
  commandSettled(action: string, outcome: string, seconds: number): void {
    const a = this.knownAction(action);
    this.commands.inc({ action: a, outcome: COMMAND_OUTCOMES.has(outcome) ? outcome : 'other' });
    this.commandSeconds.observe({ action: a }, seconds);
  }

  ocpiRequest(module: string, method: string, status: number, seconds: number): void {
    const m = this.ocpiModules.has(module) ? module : 'other';
    this.ocpiRequests.inc({ module: m, method, status: String(status) });
    this.ocpiSeconds.observe({ module: m, method }, seconds);
  }

  jobRun(job: string, result: 'succeeded' | 'failed' | 'skipped', seconds: number): void {
    this.jobRuns.inc({ job, result });
    if (result !== 'skipped') this.jobSeconds.observe({ job }, seconds);
  }

  query(seconds: number, ok: boolean): void {
    this.querySeconds.observe({ result: ok ? 'ok' : 'error' }, seconds);
  }

  realtimeAuthorization(source: 'cache' | 'emsp', outcome: string, seconds: number): void {
    this.authorizations.inc({ source, outcome });
    this.authorizationSeconds.observe({ source }, seconds);
  }

  /** The text exposition format. */
  scrape(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
