-- Neovim (0.7+) as a second real LSP client of docbook-ls: opens one file, attaches the server
-- started with --stdio, sends the requested LSP requests at the given positions and writes what
-- came back as JSON. Driven by test/lsp/nvim.test.ts through environment variables:
--   PROBE_SERVER    command line of the server, JSON array (e.g. ["node", ".../docbook-ls.js", "--stdio"])
--   PROBE_ROOT      workspace folder
--   PROBE_FILE      file to open
--   PROBE_REQUESTS  JSON array of { "method": "textDocument/definition", "line": 0, "character": 0 } (0-based, UTF-16)
--   PROBE_OUT       where to write { "initialized": bool, "responses": [ { "method", "result", "error" } ] }
-- Neovim 0.7 has no vim.lsp.start: start_client + buf_attach_client do the same.

local function env(name)
  local value = os.getenv(name)
  if not value or value == '' then error('missing ' .. name) end
  return value
end

local out_path = env('PROBE_OUT')
local report = { initialized = false, responses = {} }

local function finish()
  local f = assert(io.open(out_path, 'w'))
  f:write(vim.fn.json_encode(report))
  f:close()
  vim.cmd('qall!')
end

local ok, err = pcall(function()
  local root = env('PROBE_ROOT')
  vim.cmd('edit ' .. vim.fn.fnameescape(env('PROBE_FILE')))
  local bufnr = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = 'docbook-ls',
    cmd = vim.fn.json_decode(env('PROBE_SERVER')),
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = vim.fn.fnamemodify(root, ':t') } },
  })
  assert(client_id, 'the server did not start')
  vim.lsp.buf_attach_client(bufnr, client_id)
  local client = vim.lsp.get_client_by_id(client_id)
  report.initialized = vim.wait(20000, function() return client.initialized == true end, 20)
  assert(report.initialized, 'no initialize response within 20 s')
  for _, r in ipairs(vim.fn.json_decode(env('PROBE_REQUESTS'))) do
    local params = {
      textDocument = { uri = vim.uri_from_bufnr(bufnr) },
      position = { line = r.line, character = r.character },
    }
    -- The server answers once it has indexed the workspace; the first request waits for that.
    local response, request_err = client.request_sync(r.method, params, 30000, bufnr)
    table.insert(report.responses, {
      method = r.method,
      result = response and response.result or vim.NIL,
      error = request_err or (response and response.err) or vim.NIL,
    })
  end
  client.stop()
end)
if not ok then report.error = tostring(err) end
finish()
