-- wrk script: one event per request, spread over the sessions listed in $SESSIONS_FILE.
-- Each request posts a remote speech event to a random open session.
--
-- The requests are formatted once, when each wrk thread starts (a pool of 8,192 drawn at
-- random), and `request` only hands them out: formatting a request in Lua for every call
-- cost wrk nearly as much CPU as the server spent answering it, on the same two cores.
local key = os.getenv("SCAMGUARD_KEY")
local file = os.getenv("SESSIONS_FILE")
local sessions = {}
for line in io.lines(file) do
  if #line > 0 then sessions[#sessions + 1] = line end
end
local lines = {
  "您好，这里是市公安局刑侦支队，您的身份证涉嫌一起洗钱案件",
  "Please keep this call confidential and do not hang up",
  "请您打开屏幕共享，我们需要核实您的银行账户",
  "the weather is nice today, see you at dinner",
}
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 1000)
local pool = {}
for n = 1, 8192 do
  local id = sessions[math.random(#sessions)]
  local body = '{"type":"speech","speaker":"remote","text":"' .. lines[math.random(#lines)] .. '"}'
  pool[n] = wrk.format("POST", "/v1/sessions/" .. id .. "/events",
    {["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json"}, body)
end
local i = 0
request = function()
  i = i % #pool + 1
  return pool[i]
end
