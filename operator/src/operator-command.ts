import type { Command } from './cli/main.js';
import { CONFIG_HELP, ConfigError, loadConfig } from './config.js';
import { startOperator } from './main.js';
import { createLogger } from './reconciler/logger.js';
import { SandboxSetupError } from './sandbox/errors.js';

const USAGE = `Usage: vibe operator [--kubeconfig FILE] [--config FILE] [flags]

Runs the operator against the cluster of the current kubeconfig (KUBECONFIG or --kubeconfig).
Every flag can also be set in the --config YAML file (camelCase key) or as an environment variable:

${CONFIG_HELP}
`;

export const command: Command = {
  summary: 'Run the operator against the current kubeconfig',
  async run(argv) {
    if (argv.includes('--help') || argv.includes('-h')) {
      process.stdout.write(USAGE);
      return 0;
    }
    let config;
    try {
      config = await loadConfig(argv);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      process.stderr.write(`vibe operator: ${err.message}\n`);
      return 2;
    }
    const logger = createLogger(config.logLevel);
    // A stray rejection must not take down every environment's reconciler; it is logged instead.
    process.on('unhandledRejection', (reason) =>
      logger.error({ err: reason }, 'unhandled promise rejection'),
    );
    let operator;
    try {
      operator = await startOperator(config, logger);
    } catch (err) {
      if (!(err instanceof ConfigError || err instanceof SandboxSetupError)) throw err;
      process.stderr.write(`vibe operator: ${err.code}: ${err.message}\n`);
      return 2;
    }
    const signal = await new Promise<string>((resolve) => {
      process.once('SIGTERM', () => resolve('SIGTERM'));
      process.once('SIGINT', () => resolve('SIGINT'));
      void operator.lostLeadership.then(() => resolve('lost-leadership'));
    });
    logger.info({ signal }, 'shutting down: draining handlers in flight');
    await operator.stop();
    logger.info('stopped');
    return signal === 'lost-leadership' ? 1 : 0;
  },
};
