#!/usr/bin/env node
require('../out/server/src/cli/docbookLs.js').main(process.argv.slice(2));
