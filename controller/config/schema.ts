/**
 * The `sortline serve` configuration file (docs/operations.md "Configuration"): its TypeBox
 * schema and its TypeScript shape. Every key is optional in a file; the embedded default
 * (./defaults.ts) supplies what a file leaves out, so the merged document must fit the schema
 * with every key present.
 */
import { Type, type Static } from '@sinclair/typebox';

const int = (minimum: number, maximum: number, what: string) =>
  Type.Integer({
    minimum,
    maximum,
    description: `${what}: an integer ${minimum}–${maximum.toLocaleString('en-US')}`,
  });

const SessionSchema = Type.Object(
  {
    resendAfterMs: Type.Optional(int(1, 3_600_000, 'ms before an unacknowledged frame is resent')),
    maxResends: Type.Optional(int(0, 100, 'resends before the link is declared dead')),
    heartbeatMs: Type.Optional(int(1, 3_600_000, 'ms without sending before a heartbeat')),
    idleTimeoutMs: Type.Optional(
      int(1, 86_400_000, 'ms without receiving before the link is declared dead'),
    ),
    maxInFlight: Type.Optional(int(1, 65_536, 'unacknowledged frames on the wire')),
    maxQueued: Type.Optional(int(0, 1_048_576, 'frames waiting behind the window')),
    duplicateWindow: Type.Optional(
      int(1, 1_048_576, 'sequence numbers remembered for duplicate suppression'),
    ),
    closeTimeoutMs: Type.Optional(
      int(0, 3_600_000, 'ms a shutdown waits for the PLC to acknowledge what is queued'),
    ),
    requirePeerSync: Type.Optional(
      Type.Boolean({
        description: 'true (default): business frames only after the PLC sent its link sync',
      }),
    ),
    clockWindowMs: Type.Optional(
      int(0, 31_622_400_000, "ms a frame's timestamp may be off our clock (0 = no check)"),
    ),
    pauseReadAboveBytes: Type.Optional(
      int(1024, 1 << 30, 'bytes waiting for the PLC before reading from it pauses'),
    ),
    maxWriteBufferBytes: Type.Optional(
      int(1024, 1 << 30, 'bytes waiting for the PLC before its link is dropped'),
    ),
    writeStallMs: Type.Optional(
      int(1, 3_600_000, 'ms of blocked writes before the link is dropped'),
    ),
    partialFrameTimeoutMs: Type.Optional(
      int(1, 3_600_000, 'ms a truncated frame waits on a quiet line before it is discarded'),
    ),
    windowStallMs: Type.Optional(
      int(1, 3_600_000, 'ms the receive window may stay held before a link reset'),
    ),
    handshakeTimeoutMs: Type.Optional(
      int(1, 3_600_000, 'ms a new connection has to complete its link sync'),
    ),
    takeoverIdleMs: Type.Optional(
      int(0, 86_400_000, 'ms without a frame before another peer may take the link over'),
    ),
  },
  { additionalProperties: false, description: 'session settings' },
);

const GatewaySchema = Type.Object(
  {
    listen: Type.String({
      minLength: 1,
      description:
        'a gateway address such as "tcp://127.0.0.1:7300", "ws://0.0.0.0:7301/plc" or a serial device "/dev/ttyUSB0"',
    }),
    dialect: Type.Union(
      [Type.Literal('native'), Type.Literal('telegram'), Type.Literal('ndjson')],
      { description: '"native", "telegram" or "ndjson"' },
    ),
    name: Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'a gateway name of 1 to 64 characters',
    }),
    connections: Type.Union([Type.Literal('one'), Type.Literal('many')], {
      description:
        '"one" (one PLC, its session survives reconnects) or "many" (a gateway per connection)',
    }),
    session: SessionSchema,
    exposed: Type.Boolean({
      description:
        'true to listen on an address other than loopback (then gateway.allow must name the PLCs)',
    }),
    allow: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
        maxItems: 1024,
        description: 'peer addresses allowed to connect: IP addresses and CIDR blocks',
      }),
    ),
    allowOrigins: Type.Array(Type.String({ minLength: 1, maxLength: 256 }), {
      maxItems: 64,
      description: 'WebSocket Origin values allowed (web pages); none by default',
    }),
    maxConnections: int(1, 100_000, 'connections the listener holds at once'),
    secret: Type.Optional(
      Type.String({
        minLength: 16,
        maxLength: 1024,
        description: 'the shared secret of the gateway, at least 16 characters',
      }),
    ),
    secretFile: Type.Optional(
      Type.String({ minLength: 1, description: 'a file holding the shared secret of the gateway' }),
    ),
    tls: Type.Optional(
      Type.Object(
        {
          certFile: Type.String({ minLength: 1, description: 'the PEM certificate chain file' }),
          keyFile: Type.String({ minLength: 1, description: 'the PEM private key file' }),
          caFile: Type.Optional(
            Type.String({
              minLength: 1,
              description: 'PEM CAs that client certificates must chain to',
            }),
          ),
        },
        { additionalProperties: false, description: 'TLS for tls:// and wss:// gateway addresses' },
      ),
    ),
  },
  { additionalProperties: false, description: 'the gateway listener' },
);

const ChutesSchema = Type.Object(
  {
    capacity: int(1, 1_000_000, 'parcels a destination chute holds before it counts as full'),
    numbers: Type.Optional(
      Type.Record(
        Type.String({ minLength: 1, maxLength: 64 }),
        int(1, 65_535, 'a wire chute number'),
        { description: 'an object of chute id → wire chute number' },
      ),
    ),
    capacities: Type.Optional(
      Type.Record(
        Type.String({ minLength: 1, maxLength: 64 }),
        int(1, 1_000_000, 'a capacity in parcels'),
        { description: 'an object of chute id → capacity' },
      ),
    ),
  },
  { additionalProperties: false, description: 'the chute settings' },
);

const LimitsSchema = Type.Object(
  {
    maxWeightG: int(0, 999_999, 'heaviest parcel in grams (0 = no limit)'),
    maxLengthMm: int(0, 65_535, 'longest parcel in mm (0 = no limit)'),
    maxWidthMm: int(0, 65_535, 'widest parcel in mm (0 = no limit)'),
    maxHeightMm: int(0, 65_535, 'highest parcel in mm (0 = no limit)'),
  },
  { additionalProperties: false, description: 'the oversize limits' },
);

const ServiceSchema = Type.Object(
  {
    replyBudgetMs: int(1, 60_000, 'ms within which a reply counts as in time'),
    recirculationLimit: int(
      0,
      254,
      'recirculations before the recirculation-limit chute (0 = the PLC decides)',
    ),
    maxOpenTasks: int(1, 10_000_000, 'open tasks kept in memory'),
    closedMemory: int(1, 10_000_000, 'closed tasks remembered to recognise resent confirmations'),
    admission: Type.Object(
      {
        maxQueueDelayMs: int(
          0,
          60_000,
          'ms a request may have queued before it is answered busy (0 = never)',
        ),
        maxJournalBacklog: int(
          1,
          100_000_000,
          'uncommitted journal operations above which requests are answered busy',
        ),
      },
      { additionalProperties: false, description: 'the admission control settings' },
    ),
    limits: LimitsSchema,
  },
  { additionalProperties: false, description: 'the sort service settings' },
);

const JournalSchema = Type.Object(
  {
    synchronous: Type.Union([Type.Literal('full'), Type.Literal('normal')], {
      description: '"full" (survives power loss) or "normal" (survives process kills)',
    }),
    batchRows: int(1, 100_000, 'operations per transaction at most'),
    flushMs: int(0, 1_000, 'ms a pending operation waits for its commit at most'),
    retentionHours: Type.Number({
      minimum: 0,
      maximum: 876_000,
      description: 'hours closed tasks are kept (0 = forever): a number 0–876,000',
    }),
    pruneIntervalMinutes: int(1, 1_440, 'minutes between prunes'),
  },
  { additionalProperties: false, description: 'the journal settings' },
);

const LogSchema = Type.Object(
  {
    level: Type.Union(
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
      { description: 'a log level: fatal, error, warn, info, debug, trace or silent' },
    ),
  },
  { additionalProperties: false, description: 'the log settings' },
);

/** The whole configuration, every key present (the default merged with a file and flags). */
export const ServeConfigSchema = Type.Object(
  {
    gateway: GatewaySchema,
    plan: Type.Union(
      [Type.String({ minLength: 1 }), Type.Object({}, { additionalProperties: true })],
      { description: 'a sort plan file path or an inline sort plan object' },
    ),
    data: Type.String({ minLength: 1, description: 'a data directory path' }),
    chutes: ChutesSchema,
    labels: Type.Object(
      {},
      { additionalProperties: true, description: 'a label resolver configuration object' },
    ),
    service: ServiceSchema,
    journal: JournalSchema,
    log: LogSchema,
  },
  { additionalProperties: false, description: 'a sortline serve configuration' },
);

/** The configuration document, every key present. */
export type ServeConfigDoc = Static<typeof ServeConfigSchema>;
