-- Shared by the wrk scripts here (loaded with dofile from the script's own directory): the
-- requests are formatted once, when each wrk thread starts, and `request` only hands them out.
-- Formatting a request in Lua for every call cost wrk nearly as much CPU as the server spent
-- answering it, on the same two cores.
local M = {}
local key = os.getenv("SCAMGUARD_KEY")

-- A POST of the JSON `body` to `path` with the API key in $SCAMGUARD_KEY.
function M.post(path, body)
  return wrk.format("POST", path,
    {["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json"}, body)
end

-- Makes wrk send the requests in `pool` in turn.
function M.serve(pool)
  local i = 0
  request = function()
    i = i % #pool + 1
    return pool[i]
  end
end

return M
