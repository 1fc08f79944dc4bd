/**
 * Temporary proof that the harness (test/vscode/runInCodeServer.ts) runs mocha inside a real
 * VS Code extension host with the copied workspace open. Replace with real extension tests.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';

describe('VS Code test harness', () => {
  it('opens the copied workspace folder', () => {
    const folders = vscode.workspace.workspaceFolders;
    assert.ok(folders, 'no workspace folder is open');
    assert.strictEqual(folders.length, 1);
    const folder = folders[0].uri;
    // The runner tells the extension host which copy it opened.
    const expected = process.env.DOCBOOK_TEST_WORKSPACE;
    assert.ok(expected, 'DOCBOOK_TEST_WORKSPACE is not set');
    assert.strictEqual(folder.path, expected);
    // It is a copy in a temp dir, never the shared corpus itself, and the files are there.
    assert.ok(!folder.path.startsWith('/work/shared/'), `workspace is not a copy: ${folder.path}`);
    assert.ok(fs.readdirSync(expected).length > 0, 'copied workspace is empty');
  });

  it('runs in VS Code 1.100', () => {
    assert.match(vscode.version, /^1\.100\./);
  });

  it('finds the workspace files through the VS Code API', async () => {
    const found = await vscode.workspace.findFiles('**/*.xml', undefined, 5);
    assert.ok(found.length > 0, 'findFiles returned no XML file');
  });
});
