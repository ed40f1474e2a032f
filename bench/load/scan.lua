-- wrk script: stateless message scans, alternating scam, spam and ordinary texts (formatted
-- in advance: see requests.lua).
local requests = dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "requests.lua")
local texts = {
  '{"text":"【顺丰】您的快递因地址不详被退回，请点击 http://sf-express.cc/r/8841 重新填写地址","from":{"handle":"+44 7700 900123"}}',
  '{"text":"Your parcel is on hold. Pay the 1.99 fee at https://usps-track.help/pay now","from":{"handle":"+1 213 555 0147"}}',
  '{"text":"are we still on for lunch tomorrow? I can bring the photos","from":{"handle":"+86 138 0013 8000"}}',
  '{"text":"您尾号8841的储蓄卡11月25日消费人民币128.00元【工商银行】","from":{"handle":"95588"}}',
}
local pool = {}
for n, text in ipairs(texts) do
  pool[n] = requests.post("/v1/messages/scan", text)
end
requests.serve(pool)
