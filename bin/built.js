// The commands run the compiled code in out/: before `npm run build` say so in one line and exit 2
// (bad usage), rather than crash with a stack trace about a missing module.
const fs = require('fs');
const path = require('path');

module.exports = function requireBuilt(command, compiled) {
    const file = path.join(__dirname, '..', compiled);
    if (!fs.existsSync(file)) {
        console.error(`${command}: not built (no ${compiled} in ${path.dirname(__dirname)}): run \`npm run build\` first`);
        process.exit(2);
    }
    return require(file);
};
