#!/usr/bin/env node
require('../out/server/src/cli/docbookRender.js').main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
