#!/usr/bin/env node
require('./built')('docbook-ls', 'out/server/src/cli/docbookLs.js').main(process.argv.slice(2));
