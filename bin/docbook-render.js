#!/usr/bin/env node
require('./built')('docbook-render', 'out/server/src/cli/docbookRender.js').main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
