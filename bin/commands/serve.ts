import type { Command } from 'commander';
import { loadServeConfig, type ServeOverrides } from '../../controller/config/index.js';
import { startServer } from '../../controller/server.js';
import { buildMachine } from '../../core/plan/index.js';

interface ServeOptions extends ServeOverrides {
  /** `--expose` */
  expose?: boolean;
  config?: string;
  printConfig?: boolean;
}

/**
 * `sortline serve`: run the controller (docs/operations.md). Prints one line naming what it
 * listens on; SIGTERM or SIGINT drain it and it exits 0 (1 when the journal failed).
 */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description(
      'run the controller: answer sort requests of a sorter PLC gateway and journal everything',
    )
    .option(
      '--config <file>',
      'configuration file (JSON, docs/operations.md); default: the embedded default',
    )
    .option(
      '--gateway <url>',
      'gateway address: tcp://HOST:PORT, ws://HOST:PORT[/path] or a serial device (default tcp://127.0.0.1:7300)',
    )
    .option('--dialect <name>', 'wire dialect: native, telegram or ndjson (default native)')
    .option(
      '--expose',
      'allow a gateway address other than loopback (name the PLCs with --allow or gateway.allow)',
    )
    .option(
      '--allow <cidr>',
      'a peer address or CIDR block allowed to connect (repeatable; default loopback only)',
      (v: string, prev: string[] | undefined) => [...(prev ?? []), v],
    )
    .option(
      '--secret-file <file>',
      'file holding the shared secret the PLC proves at link sync (or SORTLINE_GATEWAY_SECRET)',
    )
    .option('--connections <mode>', 'one (one PLC; default) or many (a gateway per connection)')
    .option('--data <dir>', 'data directory holding the journal (default ./sortline-data)')
    .option('--plan <file>', 'sort plan (default: the bundled Jiangsu hub plan)')
    .option(
      '--log-level <level>',
      'fatal, error, warn, info, debug, trace or silent (default info)',
    )
    .option(
      '--print-config',
      'print the effective configuration and the chute numbering as JSON, and exit',
    )
    .action(async (opts: ServeOptions) => {
      await serve(opts);
    });
}

async function serve(opts: ServeOptions): Promise<void> {
  const overrides: ServeOverrides = {};
  if (opts.gateway !== undefined) overrides.gateway = opts.gateway;
  if (opts.dialect !== undefined) overrides.dialect = opts.dialect;
  if (opts.connections !== undefined) overrides.connections = opts.connections;
  if (opts.exposed === true || opts.expose === true) overrides.exposed = true;
  if (opts.allow !== undefined) overrides.allow = opts.allow;
  if (opts.secretFile !== undefined) overrides.secretFile = opts.secretFile;
  if (opts.data !== undefined) overrides.data = opts.data;
  if (opts.plan !== undefined) overrides.plan = opts.plan;
  if (opts.logLevel !== undefined) overrides.logLevel = opts.logLevel;
  const config = loadServeConfig(opts.config, overrides);
  if (opts.printConfig) {
    const { doc, source } = config.plan;
    const { numbering } = buildMachine(doc, config.chutes);
    const chuteNumbers = Object.fromEntries(
      numbering.ids.map((id, i) => [id, numbering.numberOf(i)]),
    );
    process.stdout.write(
      JSON.stringify(
        {
          ...config,
          // never print secrets: the shared secret and the TLS private key
          gateway: {
            ...config.gateway,
            secret: config.gateway.secret === null ? null : '(set)',
            tls: config.gateway.tls === null ? null : { ...config.gateway.tls, key: '(set)' },
          },
          plan: source === 'inline' ? doc : source,
          chuteNumbers,
        },
        null,
        2,
      ) + '\n',
    );
    return;
  }
  // the handlers are in place before the listener opens: a signal that arrives while the
  // controller starts (a supervisor that stops it at once) drains it as soon as it has started
  let server: Awaited<ReturnType<typeof startServer>> | null = null;
  let stopRequested = false;
  const drain = (): void => {
    stopRequested = true;
    if (server !== null) void server.close();
  };
  process.once('SIGTERM', drain);
  process.once('SIGINT', drain);
  let failure;
  try {
    server = await startServer(config);
    process.stdout.write(server.banner + '\n');
    if (stopRequested) void server.close();
    failure = await server.stopped;
  } finally {
    process.off('SIGTERM', drain);
    process.off('SIGINT', drain);
  }
  if (failure !== null) throw failure;
}
