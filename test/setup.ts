// Root mocha set-up: loaded once before every spec (see .mocharc.json).
process.env.LOG_LEVEL ??= 'error';
