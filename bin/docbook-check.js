#!/usr/bin/env node
require('./built')('docbook-check', 'out/server/src/cli/docbookCheck.js').main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
