#!/usr/bin/env python3
"""Writes bench/data/display_names.jsonl: caller display names labelled `impersonation` or
`genuine`, written for scamguard and released with the project (Apache-2.0).

What it measures: whether the engine sees an identity claim in the name a stranger typed for a
FaceTime-like call ("杭州市公安局", "微信客服", "0731-110", "Apple Support"), however it is
disguised, while the names real people and small businesses give themselves ("妈妈", "王老师",
"老王水果店", "Apple lover", a person called Chase or 龚安) stay quiet.

How it is made: a list of BASE identities, each a body scammers claim (the police, a court,
WeChat customer service, a bank's fraud team ...) or a genuine party (a person, a family word,
a teacher, a shop, a name that holds a brand or authority word innocently). Each base is
written in its plain forms (with city prefixes, staff titles, service suffixes) and then in the
disguises scammers use: traditional characters, pinyin, full-width letters and digits,
separators and emoji between characters, invisible and bidi characters, Cyrillic and Greek
look-alike letters, digit swaps, sound-alike characters, pinyin mixed into the characters,
an emergency or service number joined to the name, and typed "verified" badges. Genuine
bases get the decorations real people use (emoji, spacing, pinyin and English forms,
traditional characters, full-width letters, birth years and room numbers).

Everything is written from general knowledge of the scam (../shared/reference/domain.md, in
our own words); nothing is copied from a dataset, the lexicons or the scenario cases.

Decisions (see docs/evaluation.md, "Impersonating display names"):
- "张警官" / "Officer Smith" are `impersonation`: on an unknown handle a police rank in the
  name is a claim to be the police; an officer the user knows is in their contacts.
- "王老师" is `genuine`: a teacher names no protected body (the stranger-teacher fee scam is
  judged by what the messages ask, not by the name).
- Bare name-like pinyin ("gongan", "Gong An", "fayuan", "Wang Jing") is `genuine`: it is a
  person's name as often as an authority; "gonganju", "gongan110" and "ＧＯＮＧＡＮ" are not.
- Names a courier rider or a platform seller might really use ("美团外卖小哥", "淘宝店主")
  are left out: they are neither clearly claims nor clearly innocent.

Fields: text, label (`impersonation` | `genuine`), split, base (the identity every disguise
of the name comes from), disguise (how this text was written), lang (`zh` | `en`), id.
`split` is fixed per BASE (70/15/15 by a hash of the base id), so that the disguises of one
base never straddle train, dev and test.

Usage: python3 bench/data/write_display_names.py   (deterministic: same file every run)
"""

import hashlib
import json
import os
import random

R = random.Random(16016)

# --------------------------------------------------------------------------------------------
# Simplified -> traditional, for the characters the bases use (written out by hand).
S2T = dict(zip(
    "国诈检察门广东厦汉庆宁苏浙闽湘鄂辽吉黑陕赣滇贵桂琼蒙疆藏台湾区县厅银监会证发侦经网宝团闲鱼"
    "闻讯话费电联动邮储农业设兴华营顺丰韵达鸟递运输医疗险积务关卫健纪委员样习优惠内审计刑罚执协调"
    "导专报处长级权号联络务术实态缴饰额库闭专线对账户资产冻结认证验实队总统亚马逊脸书谷贷钱财讼"
    "济乐头条齐购买卖车计划东门阳这个汇润云讯币钱盘车",
    "國詐檢察門廣東廈漢慶寧蘇浙閩湘鄂遼吉黑陝贛滇貴桂瓊蒙疆藏臺灣區縣廳銀監會證發偵經網寶團閒魚"
    "聞訊話費電聯動郵儲農業設興華營順豐韻達鳥遞運輸醫療險積務關衛健紀委員樣習優惠內審計刑罰執協調"
    "導專報處長級權號聯絡務術實態繳飾額庫閉專線對賬戶資產凍結認證驗實隊總統亞馬遜臉書谷貸錢財訟"
    "濟樂頭條齊購買賣車計劃東門陽這個匯潤雲訊幣錢盤車"))

S2T.update(p for p in (pair.split(":") for pair in (
    "税:稅 众:眾 铁:鐵 军:軍 寿:壽 乐:樂 阳:陽 护:護 单:單 学:學 师:師 园:園 陈:陳 刘:劉 张:張 "
    "赵:趙 吴:吳 孙:孫 冯:馮 邓:鄧 韩:韓 郑:鄭 罗:羅 杨:楊 黄:黃 叶:葉 龚:龔 顾:顧 谢:謝 许:許 "
    "马:馬 蒋:蔣 伟:偉 静:靜 丽:麗 强:強 艳:艷 杰:傑 涛:濤 华:華 晓:曉 轩:軒 诺:諾 辉:輝 远:遠 "
    "馆:館 为:為 万:萬 过:過 质:質 条:條 妈:媽 爷:爺 儿:兒 宝:寶 亲:親 爱:愛 姨:姨 妇:婦 "
    "岁:歲 开:開 风:風 样:樣 头:頭 猪:豬 蜗:蝸 无:無 敌:敵 刚:剛 河:河 淘:淘 气:氣 钢:鋼 琴:琴 "
    "级:級 体:體 舞:舞 书:書 驾:駕 练:練 辅:輔 记:記 区:區 便:便 宠:寵 发:髮 阿:阿 姐:姐 "
    "烧:燒 烤:烤 面:麵 业:業 鲜:鮮 搬:搬 锁:鎖 调:調 维:維 修:修 苹:蘋 街:街 方:方 "
    "声:聲 粉:粉 挂:掛 处:處 驿:驛 检:檢 测:測 书:書 邻:鄰 销:銷 读:讀").split()))


def trad(s):
    return "".join(S2T.get(c, c) for c in s)


# Sound-alike characters scammers swap in (same toneless pinyin).
HOMOPHONE = {
    "诈": "炸", "安": "按", "局": "菊", "检": "捡", "察": "查", "院": "苑", "法": "发", "警": "景",
    "客": "刻", "服": "福", "公": "工", "反": "返", "心": "新", "宝": "保", "信": "心", "付": "副",
    "银": "寅", "行": "航", "保": "宝", "险": "线", "税": "睡", "务": "物", "监": "坚", "管": "馆",
    "团": "湍", "东": "冬", "淘": "桃", "抖": "斗", "音": "因", "鱼": "余", "移": "宜", "通": "同",
    "医": "衣", "社": "舍", "派": "湃", "所": "锁", "中": "钟", "国": "果", "家": "佳", "京": "经",
}

# Cyrillic and Greek letters that look like Latin ones.
HOMOGLYPH = {
    "a": "\u0430", "e": "\u0435", "o": "\u043e", "p": "\u0440", "c": "\u0441", "x": "\u0445",
    "y": "\u0443", "i": "\u0456", "A": "\u0410", "B": "\u0392", "E": "\u0415", "H": "\u041d",
    "K": "\u039a", "M": "\u041c", "O": "\u039f", "P": "\u0420", "T": "\u0422", "X": "\u03a7",
    "C": "\u0421", "I": "\u0399", "S": "\u0405", "N": "\u039d", "Z": "\u0396", "j": "\u0458",
    "s": "\u0455",
}
DIGIT_SWAP = {"o": "0", "O": "0", "l": "1", "i": "1", "I": "1", "e": "3", "a": "4", "s": "5",
              "S": "5"}

SEPARATORS = [" ", "·", ".", "-", "_", "|", "*", "~", "/", "\u3000", "、", "•", "★", "♥"]
EMOJI_BETWEEN = ["⭐", "🔥", "💰", "🌸", "✨", "🎉", "❤️", "👍", "🍀"]
AUTHORITY_EMOJI = ["👮", "🚓", "🚔", "🚨", "✅", "☑️", "✔️", "🛡️"]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u180e"]
BIDI_MARKS = ["\u200e", "\u200f", "\u2066", "\u2067", "\u2068", "\u2069", "\u061c"]
BADGES_ZH = ["(官方认证)", "【官方】", "(已认证)", "✅官方", "〔官方客服〕", "「认证」"]
BADGES_EN = [" (Official)", " ✔ Verified", " [Verified]", " - Official", "✅ "]

CITIES = ["杭州市", "北京市", "上海市", "长沙市", "深圳市", "广州市", "厦门市", "成都市", "武汉市",
          "南京市", "重庆市", "西安市", "郑州市", "济南市", "天津市", "苏州市", "宁波市", "合肥市",
          "福州市", "昆明市", "南宁市", "沈阳市", "哈尔滨市", "石家庄市", "XX市", "某市", "东城区",
          "朝阳区", "海淀区", "浦东新区", "天河区", "福田区", "江岸区"]
AREA_CODES = ["010", "021", "0731", "0571", "0755", "020", "0592", "028", "027", "025", "023",
              "029", "0561", "0371", "0531", "022"]
STAFF_ZH = ["王警官", "李警官", "张警官", "刘警官", "陈警官", "民警小李", "办案民警", "警号035821",
            "赵科长", "周专员", "工号9527", "值班室", "李主任"]
CS_SUFFIX_ZH = ["客服", "官方客服", "人工客服", "客服中心", "售后", "理赔中心", "专员", "在线客服",
                "服务中心", "客服-小美", "退款中心", "安全中心"]
CS_SUFFIX_EN = ["Support", "Customer Service", "Security", "Fraud Team", "Help Desk",
                "Billing", "Security Team", "Support Center", "Account Services"]

# --------------------------------------------------------------------------------------------
# Impersonated bodies. Each: base id, lang, names (plain), pinyin spellings (Chinese bases),
# whether a city or district prefix fits, staff titles or service suffixes, a number it owns.
# kind: "authority" takes city prefixes and officer titles; "service" takes customer-service
# suffixes; "number" bases are numbers shown as names.

IMPERSONATION = [
    # Chinese authorities
    ("cn_police_bureau", "zh", "authority", ["公安局", "公安分局", "公安机关", "市公安局"],
     ["gonganju", "gongan fenju"], "110"),
    ("cn_police_station", "zh", "authority", ["派出所", "街道派出所", "警务室"], ["paichusuo"], "110"),
    ("cn_police_ministry", "zh", "plain", ["公安部", "中华人民共和国公安部", "公安部刑侦局"],
     ["gonganbu"], None),
    ("cn_anti_fraud_center", "zh", "authority", ["反诈中心", "反诈骗中心", "反电诈中心", "反诈预警中心"],
     ["fanzhazhongxin", "fanzha zhongxin"], "96110"),
    ("cn_national_anti_fraud", "zh", "plain", ["国家反诈中心", "国家反诈中心APP", "国家反诈骗中心"],
     ["guojiafanzhazhongxin"], "96110"),
    ("cn_court", "zh", "authority", ["人民法院", "中级人民法院", "法院", "法院执行局", "法院传票中心"],
     ["fayuan12368", "renminfayuan"], "12368"),
    ("cn_procuratorate", "zh", "authority", ["人民检察院", "检察院", "检察院反贪局", "检察官"],
     ["jianchayuan", "renminjianchayuan"], "12309"),
    ("cn_criminal_police", "zh", "authority", ["刑侦大队", "刑警支队", "刑侦支队", "刑警"],
     ["xingzhendadui"], None),
    ("cn_economic_police", "zh", "authority", ["经侦大队", "经侦支队", "经济犯罪侦查大队"],
     ["jingzhendadui"], None),
    ("cn_cyber_police", "zh", "authority", ["网警", "网警大队", "网安大队", "网络警察"],
     ["wangjingdadui"], None),
    ("cn_traffic_police", "zh", "authority", ["交警大队", "交通警察支队", "交管局"],
     ["jiaojingdadui"], "122"),
    ("cn_police_title", "zh", "plain", ["张警官", "李警官", "王警官-刑侦", "警官", "民警", "陈警官"],
     [], None),
    ("cn_emergency_110", "zh", "number", ["110", "110报警中心", "110指挥中心", "公安110", "报警中心110"],
     ["gongan110", "baojing110"], "110"),
    ("cn_sms_alarm_12110", "zh", "number", ["12110", "12110短信报警", "短信报警12110"], [], "12110"),
    ("cn_state_security", "zh", "authority", ["国家安全局", "国安局", "国家安全部"],
     ["guojiaanquanju"], "12339"),
    ("cn_discipline", "zh", "authority", ["纪委监委", "纪检委", "纪律检查委员会"], ["jijianwei"], "12388"),
    ("cn_customs", "zh", "authority", ["海关", "海关总署", "海关缉私局"], ["haiguanzongshu"], "12360"),
    ("cn_immigration", "zh", "authority", ["出入境管理局", "移民管理局", "出入境大厅"],
     ["churujing"], "12367"),
    ("cn_tax", "zh", "authority", ["税务局", "国家税务总局", "税务稽查局"], ["shuiwuju"], "12366"),
    ("cn_medical_insurance", "zh", "authority", ["医保局", "医疗保障局", "医保中心", "医保稽查科"],
     ["yibaoju"], "12393"),
    ("cn_social_insurance", "zh", "authority", ["社保局", "社保中心", "人社局", "社会保险事业局"],
     ["shebaoju"], "12333"),
    ("cn_financial_regulator", "zh", "plain", ["银保监会", "金融监管总局", "国家金融监督管理总局",
                                               "金融监管局", "银监会"],
     ["yinbaojianhui", "jinrongjianguan"], "12378"),
    ("cn_securities_regulator", "zh", "plain", ["证监会", "中国证监会"], ["zhengjianhui"], "12386"),
    ("cn_central_bank", "zh", "plain", ["中国人民银行", "人民银行", "央行", "人行征信中心", "征信中心"],
     ["renminyinhang", "zhengxinzhongxin"], None),
    ("cn_market_regulation", "zh", "authority", ["市场监督管理局", "市场监管局", "工商局"],
     ["gongshangju"], "12315"),
    ("cn_telecom_regulator", "zh", "plain", ["通信管理局", "工信部", "工业和信息化部"],
     ["tongxinguanliju"], "12300"),
    ("cn_health_commission", "zh", "authority", ["卫健委", "卫生健康委员会", "疾控中心"],
     ["weijianwei"], "12320"),
    ("cn_housing_fund", "zh", "authority", ["公积金中心", "住房公积金管理中心"], ["gongjijin"], "12329"),
    ("cn_military", "zh", "plain", ["部队采购", "武警部队", "解放军采购处", "部队后勤处"],
     ["buduicaigou"], None),
    # Chinese platforms and their customer service
    ("cn_wechat", "zh", "service", ["微信客服", "微信支付", "微信团队", "微信安全中心", "财付通"],
     ["weixinkefu", "weixinzhifu"], "95017"),
    ("cn_alipay", "zh", "service", ["支付宝", "支付宝客服", "蚂蚁金服", "花呗", "借呗", "蚂蚁花呗"],
     ["zhifubao", "huabei kefu"], "95188"),
    ("cn_jd", "zh", "service", ["京东客服", "京东金融", "京东白条", "京东商城", "京东物流"],
     ["jingdongjinrong", "jingdongkefu"], "95118"),
    ("cn_taobao", "zh", "service", ["淘宝客服", "淘宝网", "天猫客服", "淘宝官方"],
     ["taobaokefu", "taobao"], None),
    ("cn_douyin", "zh", "service", ["抖音客服", "抖音官方", "抖音支付", "抖音商城"],
     ["douyinkefu", "douyin kefu"], None),
    ("cn_kuaishou", "zh", "service", ["快手客服", "快手官方"], ["kuaishoukefu"], None),
    ("cn_meituan", "zh", "service", ["美团客服", "美团月付", "美团外卖客服", "美团官方"],
     ["meituankefu", "meituan"], "10107888"),
    ("cn_xianyu", "zh", "service", ["闲鱼客服", "闲鱼官方", "闲鱼交易保障"], ["xianyukefu"], None),
    ("cn_pinduoduo", "zh", "service", ["拼多多客服", "拼多多官方", "多多支付"],
     ["pinduoduokefu", "pinduoduo"], None),
    ("cn_tencent", "zh", "service", ["腾讯客服", "QQ安全中心", "腾讯安全"], ["tengxunkefu"], "95017"),
    ("cn_didi", "zh", "service", ["滴滴客服", "滴滴出行客服"], ["didikefu"], None),
    ("cn_ctrip", "zh", "service", ["携程客服", "携程旅行"], ["xiechengkefu"], "95010"),
    ("cn_airline", "zh", "service", ["东方航空客服", "南方航空客服", "航空公司退改签", "国航客服"],
     ["hangkonggongsi"], "95539"),
    ("cn_baidu", "zh", "service", ["百度客服", "度小满金融"], ["baidukefu"], None),
    ("cn_weilidai", "zh", "service", ["微粒贷", "微粒贷客服", "微众银行"], ["weilidai"], "95384"),
    # Chinese banks
    ("cn_icbc", "zh", "service", ["工商银行", "中国工商银行", "工行客服"], ["gongshangyinhang"], "95588"),
    ("cn_ccb", "zh", "service", ["建设银行", "中国建设银行", "建行客服"], ["jiansheyinhang"], "95533"),
    ("cn_abc", "zh", "service", ["农业银行", "中国农业银行", "农行客服"], ["nongyeyinhang"], "95599"),
    ("cn_boc", "zh", "service", ["中国银行", "中行客服"], ["zhongguoyinhang"], "95566"),
    ("cn_bocom", "zh", "service", ["交通银行", "交行客服"], ["jiaotongyinhang"], "95559"),
    ("cn_cmb", "zh", "service", ["招商银行", "招行信用卡中心"], ["zhaoshangyinhang"], "95555"),
    ("cn_psbc", "zh", "service", ["邮储银行", "中国邮政储蓄银行"], ["youchuyinhang"], "95580"),
    ("cn_pingan", "zh", "service", ["平安银行", "平安保险", "中国平安", "平安普惠"],
     ["pinganyinhang"], "95511"),
    ("cn_citic", "zh", "service", ["中信银行", "中信信用卡"], ["zhongxinyinhang"], "95558"),
    ("cn_unionpay", "zh", "service", ["中国银联", "银联客服", "云闪付"], ["yinliankefu"], "95516"),
    ("cn_bank_generic", "zh", "service", ["银行客服", "信用卡中心", "银行风控部", "银行安全部"],
     ["yinhangkefu"], None),
    ("cn_insurance", "zh", "service", ["中国人寿", "人寿保险客服", "太平洋保险"], ["zhongguorenshou"], "95519"),
    # Telecoms
    ("cn_china_mobile", "zh", "service", ["中国移动", "移动客服", "中国移动营业厅"],
     ["zhongguoyidong"], "10086"),
    ("cn_china_telecom", "zh", "service", ["中国电信", "电信客服", "电信营业厅"],
     ["zhongguodianxin"], "10000"),
    ("cn_china_unicom", "zh", "service", ["中国联通", "联通客服"], ["zhongguoliantong"], "10010"),
    # Couriers
    ("cn_sf", "zh", "service", ["顺丰快递", "顺丰速运", "顺丰客服"], ["shunfengkuaidi"], "95338"),
    ("cn_zto", "zh", "service", ["中通快递", "中通客服"], ["zhongtongkuaidi"], "95311"),
    ("cn_yto", "zh", "service", ["圆通快递", "圆通速递"], ["yuantongkuaidi"], "95554"),
    ("cn_yunda", "zh", "service", ["韵达快递", "韵达客服"], ["yundakuaidi"], "95546"),
    ("cn_ems", "zh", "service", ["中国邮政", "邮政EMS", "EMS快递"], ["zhongguoyouzheng"], "11183"),
    ("cn_cainiao", "zh", "service", ["菜鸟裹裹", "菜鸟客服"], ["cainiao"], None),
    ("cn_courier_generic", "zh", "service", ["快递理赔中心", "快递客服", "物流理赔专员"],
     ["kuaidikefu"], None),
    ("cn_generic_cs", "zh", "plain", ["客服", "在线客服", "人工客服", "官方客服", "客服中心"],
     ["zaixiankefu", "rengongkefu"], None),
    ("cn_apple_zh", "zh", "service", ["苹果客服", "Apple官方客服", "苹果售后"], ["pingguokefu"], None),
    # English-speaking bodies
    ("en_apple", "en", "service", ["Apple Support", "Apple ID Security", "iCloud Support",
                                   "AppleCare", "Apple Security"], [], None),
    ("en_paypal", "en", "service", ["PayPal Security", "PayPal", "PayPal Support",
                                    "PayPal Resolution Center"], [], None),
    ("en_amazon", "en", "service", ["Amazon", "Amazon Customer Service", "Amazon Security",
                                    "Amazon Prime Billing"], [], None),
    ("en_microsoft", "en", "service", ["Microsoft Support", "Windows Support", "Microsoft Security",
                                       "Windows Defender"], [], None),
    ("en_google", "en", "service", ["Google Security", "Google Support", "Gmail Security Team"], [],
     None),
    ("en_hmrc", "en", "plain", ["HMRC", "HMRC Tax Office", "HM Revenue & Customs",
                                "HMRC Fraud Investigation"], [], None),
    ("en_irs", "en", "plain", ["IRS", "IRS Agent", "Internal Revenue Service", "IRS Criminal Division"],
     [], None),
    ("en_fbi", "en", "plain", ["FBI", "FBI Agent", "Federal Bureau of Investigation",
                               "FBI Cyber Division"], [], None),
    ("en_police", "en", "plain", ["Police", "Metropolitan Police", "Police Department",
                                  "Officer Smith", "Sheriff's Office", "Detective Brown"], [], "911"),
    ("en_ssa", "en", "plain", ["Social Security Administration", "SSA", "Social Security Office"],
     [], None),
    ("en_medicare", "en", "plain", ["Medicare", "Medicare Benefits", "NHS"], [], None),
    ("en_chase", "en", "service", ["Chase Fraud Department", "Chase Bank", "JPMorgan Chase"], [],
     None),
    ("en_boa", "en", "service", ["Bank of America", "Bank of America Fraud", "BofA Security"], [],
     None),
    ("en_wells", "en", "service", ["Wells Fargo", "Wells Fargo Fraud Team"], [], None),
    ("en_barclays", "en", "service", ["Barclays Fraud Team", "Barclays", "Barclays Bank"], [], None),
    ("en_hsbc", "en", "service", ["HSBC Fraud Prevention", "HSBC", "HSBC Security"], [], None),
    ("en_natwest", "en", "service", ["NatWest Fraud", "NatWest", "Lloyds Bank", "Santander Fraud"],
     [], None),
    ("en_bank_generic", "en", "plain", ["Bank Fraud Department", "Fraud Department", "Fraud Prevention Team",
                                        "Card Services", "Your Bank Security"], [], None),
    ("en_couriers", "en", "service", ["USPS", "FedEx", "DHL Express", "UPS Delivery", "Royal Mail"], [],
     None),
    ("en_coinbase", "en", "service", ["Coinbase", "Coinbase Support", "Binance Support"], [], None),
    ("en_carriers", "en", "service", ["Verizon", "AT&T", "T-Mobile"], [], None),
    ("en_cbp", "en", "plain", ["US Customs", "Border Protection", "Homeland Security"], [], None),
    ("en_generic_cs", "en", "plain", ["Customer Service", "Technical Support", "Account Security"],
     [], None),
]

# --------------------------------------------------------------------------------------------
# Genuine parties.

SURNAMES = [("王", "Wang"), ("李", "Li"), ("张", "Zhang"), ("刘", "Liu"), ("陈", "Chen"),
            ("杨", "Yang"), ("黄", "Huang"), ("赵", "Zhao"), ("吴", "Wu"), ("周", "Zhou"),
            ("徐", "Xu"), ("孙", "Sun"), ("马", "Ma"), ("朱", "Zhu"), ("胡", "Hu"), ("郭", "Guo"),
            ("何", "He"), ("高", "Gao"), ("林", "Lin"), ("罗", "Luo"), ("郑", "Zheng"),
            ("梁", "Liang"), ("谢", "Xie"), ("宋", "Song"), ("唐", "Tang"), ("韩", "Han"),
            ("冯", "Feng"), ("邓", "Deng"), ("曹", "Cao"), ("彭", "Peng"), ("曾", "Zeng"),
            ("田", "Tian"), ("董", "Dong"), ("潘", "Pan"), ("蒋", "Jiang"), ("蔡", "Cai"),
            ("叶", "Ye"), ("苏", "Su"), ("龚", "Gong"), ("范", "Fan"), ("方", "Fang"),
            ("金", "Jin"), ("钱", "Qian"), ("魏", "Wei"), ("付", "Fu"), ("邢", "Xing"),
            ("焦", "Jiao"), ("顾", "Gu")]
GIVEN = [("伟", "Wei"), ("芳", "Fang"), ("娜", "Na"), ("敏", "Min"), ("静", "Jing"), ("丽", "Li"),
         ("强", "Qiang"), ("磊", "Lei"), ("军", "Jun"), ("洋", "Yang"), ("勇", "Yong"),
         ("艳", "Yan"), ("杰", "Jie"), ("涛", "Tao"), ("明", "Ming"), ("超", "Chao"),
         ("秀英", "Xiuying"), ("建国", "Jianguo"), ("建华", "Jianhua"), ("志强", "Zhiqiang"),
         ("晓明", "Xiaoming"), ("海燕", "Haiyan"), ("欣怡", "Xinyi"), ("子涵", "Zihan"),
         ("浩然", "Haoran"), ("宇轩", "Yuxuan"), ("梓萱", "Zixuan"), ("一诺", "Yinuo"),
         ("安", "An"), ("媛", "Yuan"), ("园", "Yuan"), ("振", "Zhen"), ("建辉", "Jianhui"),
         ("国安", "Guoan"), ("平安", "Ping'an"), ("警", "Jing"), ("晶", "Jing"), ("婧", "Jing"),
         ("安居", "Anju"), ("嘉", "Jia"), ("佳琪", "Jiaqi"), ("思远", "Siyuan")]
FIRST_EN = ["John", "Mary", "James", "Linda", "Michael", "Sarah", "David", "Emily", "Robert",
            "Jessica", "Chase", "Ally", "Jordan", "Hunter", "Sky", "Apple", "Paige",
            "Irene", "Dwayne", "Priya", "Wei", "Fatima", "Carlos", "Aisha", "Kenji", "Olivia",
            "Noah", "Grace", "Tom", "Coco", "Max", "Justice", "Nat"]
LAST_EN = ["Smith", "Johnson", "Brown", "Garcia", "Miller", "Wells", "Patel", "Nguyen", "Kim",
           "Lopez", "Chase", "Young", "King", "Law", "Banks", "Sterling", "Mint",
           "Post", "Apple", "Cash", "Price", "Fox", "Judge", "Marshall", "Bond"]
FAMILY_ZH = ["妈妈", "老妈", "爸爸", "老爸", "老公", "老婆", "宝贝", "亲爱的", "儿子", "女儿", "外婆",
             "奶奶", "爷爷", "姥姥", "大姐", "二哥", "舅舅", "姑姑", "小姨", "表哥", "媳妇", "闺女",
             "大舅", "三叔", "婆婆", "岳父", "老弟", "妹妹", "哥", "宝宝"]
FAMILY_EN = ["Mom", "Dad", "Mum", "Grandma", "Grandpa", "Hubby", "Wifey", "Babe", "Honey",
             "Sis", "Bro", "Auntie May", "Uncle Bob", "Nana", "Papa", "My Love", "Daddy"]
NICK_ZH = ["小可爱", "胖虎", "阿飞", "追风少年", "快乐每一天", "静待花开", "岁月静好", "平安是福",
           "岁岁平安", "平安喜乐", "一路平安", "开心果", "小太阳", "大橙子", "风一样的男子",
           "向日葵", "不忘初心", "知足常乐", "阳光总在风雨后", "天道酬勤", "小猪佩奇", "奋斗的蜗牛",
           "安安", "警长猫", "法外狂徒张三", "无敌小金刚", "银河漫游者", "微信用户", "抖音小白",
           "淘气包", "京京", "微微一笑", "快递小能手"]
NICK_EN = ["Sunshine", "Coffee Addict", "Bookworm", "Gym Rat", "Night Owl", "Star Gazer",
           "Happy Camper", "Sweet Pea", "The Boss", "Captain Jack", "Apple lover", "police fan",
           "Sir Chats-a-lot",
           "Wells of Joy", "Apple of my eye", "Chase the sun", "Security blanket", "Agent Cooper fan"]
TEACHERS_ZH = ["王老师", "李老师(数学)", "张老师-三年级二班", "班主任刘老师", "钢琴陈老师",
               "英语Amy老师", "体育赵老师", "舞蹈班周老师", "书法吴老师", "幼儿园徐老师",
               "家教孙老师", "驾校马教练", "游泳班胡教练", "导师郭教授", "辅导员何老师"]
TEACHERS_EN = ["Mrs. Brown (teacher)", "Coach Mike", "Mr. Patel Math", "Ms. Lopez 3rd grade",
               "Piano Teacher Anna", "Dr. Kim (advisor)", "Professor Garcia", "Tutor Sam"]
SHOPS_ZH = ["老王水果店", "张姐烧烤", "李记面馆", "小区便利店", "阳光宠物店", "美美理发", "老陈修车",
            "家政王阿姨", "房东刘姐", "物业小李", "楼下超市", "花花鲜花店", "强哥搬家", "阿芳裁缝",
            "老周开锁", "刘师傅空调维修", "红苹果水果店", "苹果园小区业主群", "移动硬盘回收老李",
            "银行街烧烤", "京东方同事小刘", "公安大学同学群", "警察学院老同学", "警校同学会",
            "法学院同学群", "法律系老陈", "平安小区物业", "社区医院刘医生", "中国好声音粉丝群",
            "快递驿站王姐", "海关路小吃街", "税务师事务所小吴", "医院挂号处小赵", "老李代驾",
            "反光背心批发", "检测中心小王", "人民路五金店", "客家菜馆", "服装店阿梅", "新华书店"]
SHOPS_EN = ["Joe's Pizza", "Bright Smile Dental", "Green Valley Plumbing", "Maple Street Bakery",
            "Apple Pie Bakery", "Big Apple Tours", "Police Academy Reunion", "The Police fan club",
            "Riverside Bank Cafe", "Bank Street Dental", "Amazon River Tours", "Federal Hill Pizza",
            "Royal Oak Garage", "Prime Cuts Butcher", "Chase Lane Vet", "Security Self Storage",
            "Sheriff Street Deli", "Court Street Yoga", "Apple Valley Church", "Metro Dry Cleaning",
            "Fraud Squad (book club)", "Tax Prep by Linda"]


# --------------------------------------------------------------------------------------------
# The widening (written after the set above was fixed): more bodies scammers name, by category,
# and genuine names that hold the same words innocently. They are generated after everything
# above with their own random stream and appended, so every earlier line stays as it was; a
# base of the widening that hashes to `test` is left out, so the test split is unchanged.

WIDER_IMPERSONATION = [
    ("cn_card_centres_a", "zh", "service", ["中信信用卡", "光大信用卡", "广发信用卡中心", "浦发信用卡"],
     ["zhongxinxinyongka"], "95558"),
    ("cn_card_centres_b", "zh", "service", ["民生信用卡中心", "华夏信用卡", "兴业信用卡", "平安信用卡"],
     ["minshengxinyongka"], "95568"),
    ("cn_platform_pay_credit", "zh", "service", ["多多支付", "美团月付", "抖音放心借", "微信分付",
                                                 "携程拿去花"], ["duoduozhifu"], None),
    ("cn_consumer_loans", "zh", "service", ["分期乐", "捷信金融", "苏宁金融", "360金融", "唯品花"],
     ["jiexinjinrong"], None),
    ("cn_sms_alarm_words", "zh", "plain", ["报警短信12110", "12110报警短信", "短信报警平台12110"], [],
     None),
    ("cn_service_hotlines", "zh", "plain", ["消费者投诉12315", "纳税服务热线12366", "12389举报",
                                            "公安部12389", "警务督察"], [], "12389"),
    ("cn_housing_fund_wide", "zh", "authority", ["公积金", "住房公积金", "公积金提取中心", "公积金客服"],
     ["gongjijin", "zhufanggongjijin"], "12329"),
    ("cn_insurers", "zh", "service", ["中国人保", "人保财险", "泰康人寿", "新华保险", "阳光保险",
                                      "众安保险"], ["renbaocaixian"], "95518"),
    ("cn_couriers_more", "zh", "service", ["申通快递", "极兔速递", "德邦快递", "百世快递"], ["jitusudi"],
     "95543"),
    ("cn_airlines_more", "zh", "service", ["海南航空", "厦门航空", "四川航空", "春秋航空", "吉祥航空"],
     ["hainanhangkong"], "95339"),
    ("cn_crowdfunding", "zh", "service", ["水滴筹", "轻松筹"], ["shuidichou"], None),
    ("en_border", "en", "plain", ["US Customs and Border Protection", "CBP Officer", "UK Border Force",
                                  "Canada Border Services Agency", "Australian Border Force"], [], None),
    ("en_tax_foreign", "en", "plain", ["Canada Revenue Agency", "CRA", "Australian Taxation Office",
                                       "ATO", "Revenue Canada"], [], None),
    ("en_foreign_police", "en", "plain", ["Europol", "RCMP", "Australian Federal Police",
                                          "Serious Fraud Office", "Crown Prosecution Service"], [], None),
    ("en_security_software", "en", "service", ["Norton Support", "Norton LifeLock", "McAfee",
                                               "Geek Squad", "Kaspersky"], [], None),
    ("en_crypto_wallets", "en", "service", ["Kraken Support", "Crypto.com", "Trust Wallet", "MetaMask",
                                            "Ledger Support"], [], None),
    ("en_money", "en", "service", ["Western Union", "MoneyGram", "American Express", "Visa Fraud",
                                   "Zelle"], [], None),
    ("en_couriers_more", "en", "service", ["Australia Post", "Canada Post", "Parcelforce", "Evri"], [],
     None),
    ("en_airlines", "en", "service", ["Delta Air Lines", "United Airlines", "British Airways", "Qantas",
                                      "Air Canada"], [], None),
    ("en_public_services", "en", "plain", ["TV Licensing", "Service Canada", "Centrelink", "USCIS",
                                           "Department of Justice"], [], None),
]

WIDER_GENUINE_ZH = ["阳光小区业主群", "泰康路咖啡", "春秋读书会", "吉祥如意面馆", "水滴鱼缸店", "百世好合婚庆",
                    "众安小区物业", "中信广场保安", "民生超市", "光大花园老张", "华夏书院", "新华路修鞋",
                    "海航大厦前台", "苏宁广场导购", "乐信小课堂", "捷信哥", "放心买水果", "安心借书屋"]
WIDER_GENUINE_EN = ["Ed Norton", "Norton Family", "Delta Jones", "United FC Fans", "Visa Agent Lucy",
                    "Discover Hiking Club", "Ledger Accounting Sam", "Kraken Fan", "Gazelle Fitness",
                    "Basic Bob", "Classic Cars Club", "Home Office Dad", "Wise Owl Tutoring",
                    "Post Office Mary", "Customs House Cafe", "Border Collie Rescue", "Evrim Kaya",
                    "Ato Mensah", "Cra Cra Crafts"]

# --------------------------------------------------------------------------------------------
# The second widening (names3, written after a hand-written held-out file showed these shapes
# and was then spent): a body's service number joined to words, and genuine names that hold a
# protected word as part of a place, a market, a group of people, a band or its fans, a school
# or a person's given name. Generated after the widening above with its own random stream and
# appended; bases that hash to test are left out, so the test split is unchanged.

JOINED_NUMBERS = [
    ("cn_numbers_joined_carriers", ["10086移动", "移动10086客服", "10010联通客服", "10000号电信",
                                    "电信10000号"]),
    ("cn_numbers_joined_banks", ["95588工行客服", "95533建行", "95599农行信用卡", "95566中行",
                                 "95555招行"]),
    ("cn_numbers_joined_hotlines", ["12306退票", "12306铁路客服", "12315消费投诉", "12333社保查询",
                                    "12366税务咨询"]),
    ("cn_numbers_joined_platforms", ["95017微信支付", "95188支付宝", "95118京东", "10107888美团"]),
]
# Names read only by their shape: a rank leading a surname, an English brand with a Chinese
# service word, a body's pinyin over two words or beside a pinyin service word, and a service
# word in sound-alike characters after a brand.
NAMES3_SHAPES = [
    ("en_police_ranks", "en", ["Officer Garcia", "Sergeant Brown", "Constable Patel", "Officer Nguyen",
                               "Trooper Davis"]),
    ("en_brands_zh_service", "en", ["PayPal 客服", "Amazon售后", "Netflix 支援", "Google 客服",
                                    "Coinbase支援"]),
    ("cn_pinyin_two_words", "zh", ["jinrong jianguanju", "jiebei kefu", "fanzha kefu", "pingan kefu",
                                   "gongan dadui"]),
    ("cn_brand_sound_alike_desk", "zh", ["顺丰刻服", "京东客福", "中通刻服", "圆通客福"]),
]
NAMES3_GENUINE_ZH = ["公安县老乡会", "公安县人在深圳", "湖北公安县美食", "海关新村二栋", "海关大厦保洁阿姨",
                     "法院路菜市场", "检察院家属院业主群", "税务局旁早餐店", "交警大队旁修车", "派出所对面水果店",
                     "工商银行旁奶茶", "邮储银行楼下快递点", "警官学院校友会", "公安大学老乡群", "京东小区业主",
                     "公安局宿舍老邻居", "张建行", "刘建行", "陈华为", "李汇丰", "赵顺丰", "周国航"]
NAMES3_GENUINE_EN = ["The Police Fan Club", "Police Cover Band", "Police Tribute Night", "Amazonite Jewelry",
                     "Amazona Parrot Rescue", "Netflixers Book Club", "Googlers Alumni", "Interpol Fans UK",
                     "Hua Bei", "Jie Bei", "Fan Zha", "Wang Jing 1990", "Zheng Jianhua", "Sergeant Pepper Fans",
                     "Trooper Bikes Club", "Constable Country Walks"]


# The third widening (names4): the shapes behind the third held-out file's misses and false
# positives, written as other members of each class (none of that file's lines).
NAMES4_SHAPES = [
    ("tw_ministry_health_bureaux", "zh", ["衛福部疾管署", "衛生福利部中央健康保險署", "衛福部社家署"]),
    ("tw_ministry_finance_bureaux", "zh", ["財政部關務署", "財政部北區國稅局", "財政部中區國稅局"]),
    ("tw_ministry_interior_bureaux", "zh", ["內政部移民署", "內政部戶政司", "內政部警政署刑事局"]),
    ("tw_ministry_justice_bureaux", "zh", ["法務部行政執行署", "法務部廉政署", "法務部行政執行署台北分署"]),
    ("tw_ministry_labour_transport", "zh", ["勞動部勞保局", "交通部公路局", "經濟部標準檢驗局"]),
    ("cn_district_police_units", "zh", ["海淀分局治安大队", "浦东分局禁毒支队", "天河分局刑侦中队",
                                        "西湖分局经侦大队", "福田分局巡警大队"]),
    ("my_police_and_state", "en", ["Royal Malaysia Police", "PDRM Bukit Aman", "Kastam Diraja Malaysia",
                                   "Jabatan Imigresen Malaysia", "SPRM"]),
    ("my_money_bodies", "en", ["Bank Negara", "LHDN Malaysia", "KWSP", "National Scam Response Centre",
                               "Maybank Security"]),
    ("sg_state_bodies", "en", ["IRAS", "Singapore MAS", "Ministry of Manpower", "ScamShield", "SPF Singapore"]),
    ("cn_hotline_with_words", "zh", ["12345热线", "市民热线12345", "12345 hotline"]),
]
NAMES4_GENUINE_ZH = ["爸爸(交警)", "老妈-社保局", "大舅 法院", "小舅（税务局）", "堂姐-招商银行", "表弟 京东",
                     "三姨-派出所", "姑父(海关)", "二舅 检察院", "老公-工商银行", "表哥 中国移动", "外甥 顺丰快递",
                     "税务局食堂", "公安局大楼保安", "海关退休职工群", "检察院羽毛球群", "交警支队篮球队",
                     "派出所志愿者群", "工商银行同事群", "退休警察老李", "美团骑手老王", "顺丰配送员小张",
                     "法院食堂阿姨", "税务局宿舍群", "法务部小王", "公司法务部", "经济部李记者"]
NAMES4_GENUINE_EN = ["Mom - Chase Bank", "Uncle Bob (USPS)", "Sis (Amazon)", "Grandpa - Royal Mail",
                     "Auntie May NHS", "Brother (HSBC)", "Dad (IRS)", "Ex-HSBC crew", "Former Amazon team",
                     "Police Football Club", "IRS retirees lunch", "NHS leavers do", "HMRC alumni",
                     "Barclays reunion", "Tom 12345", "Kelly 95588", "Mas Ayu Rahman", "Nik Mas",
                     "Hasil Tani Farm", "Iris Tan"]

# The fourth widening (names5): the shapes behind the fourth held-out file's misses and false
# positives, written as other members of each class (none of that file's lines): a city's pinyin
# before a body's pinyin, a body's Chinese name with one inner character changed, couriers' and
# airlines' claims and flight-change desks, Macau's police, the consular-protection hotline, a
# body's abbreviation with its country, and streaming, antivirus, fintech and carrier desks;
# genuine: people described by where they work or who they are to the owner, groups named
# after a product or a pastime, and names one character or a city away from a claim.
NAMES5_SHAPES = [
    ("cn_city_pinyin_authorities", "zh", ["NanjingGongan", "Guangzhou Gongan", "WuhanFayuan",
                                          "Chengdu Gong An", "ChongqingFayuan"]),
    ("cn_bank_one_character_typos", "zh", ["农亚银行", "交通很行", "招商艮行", "中国农亚银行", "平安很行"]),
    ("cn_courier_claims_desks", "zh", ["中通理赔部", "申通理赔中心", "韵达售后部", "圆通退款中心",
                                       "顺丰理赔专员"]),
    ("cn_flight_change_desks", "zh", ["航班改签", "改签中心", "航班改签专线", "航班取消理赔"]),
    ("mo_judiciary_and_public_security", "zh", ["澳門司警", "司警局", "澳門司法警察局", "澳門治安警察局"]),
    ("cn_consular_hotline", "zh", ["领事保护热线12308", "12308领保中心", "外交部领事保护中心",
                                      "领保中心"]),
    ("en_body_with_country", "en", ["Singapore MOM", "MOM (Singapore)", "ICA Singapore", "Singapore ICA"]),
    ("en_streaming_desks", "en", ["Hulu Billing", "HBO Max Billing", "Disney Plus Billing",
                                  "Paramount+ Support", "Spotify Premium"]),
    ("en_antivirus_desks", "en", ["McAfee Renewal", "Bitdefender Support", "Norton Billing",
                                  "AVG Renewal", "Webroot Support"]),
    ("en_fintech_desks", "en", ["Revolut Fraud Team", "Klarna Support", "Starling Bank Fraud",
                                "N26 Support", "Chime Support"]),
    ("en_carriers", "en", ["Vodafone Billing", "Telstra", "Optus Support", "Singtel", "EE Billing",
                           "O2 Mobile"]),
]
NAMES5_GENUINE_ZH = ["在建行上班的二姨", "在法院工作的老同学", "王姐(在社保局上班)", "阿杰-交警(初中同学)",
                     "刘哥 京东(邻居)", "在顺丰实习的表弟", "海关的老朋友", "微信运动步数群",
                     "支付宝蚂蚁庄园群", "抖音主播小美", "淘宝拼单群", "美团外卖拼单群",
                     "中国电影", "工商管理", "建设新村", "招商证券", "韩国电信", "圆通寺"]
NAMES5_GENUINE_EN = ["Priya - works at Barclays", "Josh works for Amazon", "my aunt at the IRS",
                     "Leo (DHL driver, neighbour)", "Mia (Apple Store colleague)", "Spotify playlist club",
                     "Netflix movie night crew", "PayPal bills - beach trip", "FBI documentary club",
                     "Walt Disney", "Norton Smith", "Orange Juice Bar", "Chime Bells",
                     "Starling murmuration", "Hangzhou Lily", "Hangzhou Hotpot House", "Gong An Li"]

# The fifth widening (names6): the shapes behind the fifth held-out file's misses and false
# positives, written as other members of each class (none of that file's lines): English brands
# typed one slip away, authorities' pinyin after a city's short form or an area code glued to an
# emergency number, Hong Kong and Taiwan banks, agencies and carriers in traditional characters,
# tax offices, carriers, toll desks and antivirus renewal desks; genuine: people saved with their
# job at a body, buildings named after one, staff associations and sport teams.
NAMES6_SHAPES = [
    ("en_brand_slips", "en", ["Netflx Support", "Barlcays Bank", "Microsfot Support", "Amazn",
                              "Coinbsae Support", "Paypall Billing"]),
    ("cn_city_short_pinyin_authorities", "zh", ["BJ-Gongan", "SHfayuan", "SZ jingcha", "WH-Fanzha",
                                                "GZjianchayuan", "0571110"]),
    ("hk_tw_banks", "zh", ["玉山銀行客服", "台新銀行專線", "恒生銀行", "中銀香港客服", "東亞銀行",
                           "國泰世華專線", "中國信託客服"]),
    ("hk_tw_agencies_carriers", "zh", ["強積金管理局", "積金局職員", "香港稅務局", "香港海關",
                                       "中華電信客服", "台灣大哥大", "遠傳電信專線", "3HK客服",
                                       "SmarTone客服"]),
    ("en_tax_carriers_tolls_antivirus", "en", ["ATO Compliance", "Australian Tax Office", "EE Refunds",
                                               "O2 Helpdesk", "Toll Services Dept", "Unpaid Toll Notice",
                                               "Antivirus Renewal Desk", "Avast Renewal"]),
]
NAMES6_GENUINE_ZH = ["老同学 交警 小王", "邻居 海关 李姐", "同事-法院-阿强", "发小 招商银行 小周",
                     "公安局五人制球队", "建行跑团", "工商银行骑行队"]
NAMES6_GENUINE_EN = ["Sara the UPS driver", "Dave our Royal Mail postie", "Jen my HSBC adviser",
                     "Crown Court Mansions", "Bank of China Tower lobby", "Police Credit Union",
                     "Police Federation branch", "Barclays Staff Association", "UPS five-a-side",
                     "Vodafone netball", "HSBC rugby league", "Morton Salt", "Barkley Dental",
                     "Amazing Grace Choir", "Norris Support Group"]


def shape_rows(names, lang):
    """Names read by their shape, plain and in the disguises that keep the words whole."""
    out = [(n, "plain") for n in names]
    for n in R.sample(names, min(2, len(names))):
        out.append((digits_fullwidth(n), "fullwidth"))
    for n in R.sample(names, min(2, len(names))):
        out.append((n.upper() if lang == "en" else trad(n), "case" if lang == "en" else "traditional"))
    for n in R.sample(names, min(2, len(names))):
        out.append((n.replace(" ", "_") if " " in n else with_separators(n, R.choice(["-", " ", "·"])),
                    "separators"))
    for n in R.sample(names, 1):
        out.append((R.choice(AUTHORITY_EMOJI) + n, "emoji"))
    return out


def joined_number_rows(names):
    """A service number glued to words, plain and in the disguises that keep the digits whole."""
    out = [(n, "number") for n in names]
    for n in R.sample(names, min(2, len(names))):
        out.append((digits_fullwidth(n), "fullwidth"))
    for n in R.sample(names, min(2, len(names))):
        i = next(k for k, c in enumerate(n + "x") if not c.isdigit()) if n[0].isdigit() else None
        out.append((n[:i] + " " + n[i:] if i else n.replace("1", " 1", 1).strip(), "number"))
    for n in R.sample(names, min(2, len(names))):
        t = trad(n)
        if t != n:
            out.append((t, "traditional"))
    for n in R.sample(names, 1):
        out.append((R.choice(AUTHORITY_EMOJI) + n, "emoji"))
        out.append((n + R.choice(BADGES_ZH), "badge"))
    return [(t, d) for t, d in out]


def digits_fullwidth(s):
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else ("\u3000" if c == " " else c)
                   for c in s)


def with_separators(s, sep):
    chars = [c for c in s if c != " "]
    return sep.join(chars)


def insert_between(s, pieces):
    """`s` with one of `pieces` inserted at one to three inner positions."""
    chars = list(s)
    if len(chars) < 2:
        return s + R.choice(pieces)
    spots = sorted(R.sample(range(1, len(chars)), min(len(chars) - 1, R.randint(1, 3))),
                   reverse=True)
    for at in spots:
        chars.insert(at, R.choice(pieces))
    return "".join(chars)


def rlo(s):
    """A right-to-left override that shows `s` as written: the tail stored reversed."""
    cut = R.randint(0, max(0, len(s) - 2))
    return s[:cut] + "\u202e" + s[cut:][::-1] + "\u202c"


def homoglyph(s):
    idx = [i for i, c in enumerate(s) if c in HOMOGLYPH]
    if not idx:
        return None
    out = list(s)
    for i in R.sample(idx, min(len(idx), R.randint(1, 2))):
        out[i] = HOMOGLYPH[out[i]]
    return "".join(out)


def digit_swap(s):
    idx = [i for i, c in enumerate(s) if c in DIGIT_SWAP]
    if not idx:
        return None
    out = list(s)
    for i in R.sample(idx, min(len(idx), R.randint(1, 2))):
        out[i] = DIGIT_SWAP[out[i]]
    return "".join(out)


def homophone(s):
    idx = [i for i, c in enumerate(s) if c in HOMOPHONE]
    if not idx:
        return None
    i = R.choice(idx)
    out = list(s)
    out[i] = HOMOPHONE[s[i]]
    return "".join(out)


# Pinyin of the characters a mixed disguise spells out ("反zha中心").
CHAR_PINYIN = {"诈": "zha", "安": "an", "局": "ju", "检": "jian", "察": "cha", "法": "fa",
               "院": "yuan", "警": "jing", "客": "ke", "服": "fu", "公": "gong", "宝": "bao",
               "信": "xin", "银": "yin", "税": "shui", "监": "jian", "保": "bao", "反": "fan",
               "医": "yi", "社": "she", "付": "fu", "团": "tuan", "鱼": "yu", "音": "yin"}


def mixed_pinyin(s):
    idx = [i for i, c in enumerate(s) if c in CHAR_PINYIN]
    if not idx:
        return None
    i = R.choice(idx)
    return s[:i] + CHAR_PINYIN[s[i]] + s[i + 1:]


def upper_or_lower(s):
    return R.choice([s.upper(), s.lower()])


def impersonation_rows(base):
    bid, lang, kind, names, pinyins, number = base
    out = []  # (text, disguise)
    plain = list(names)
    for n in names:
        out.append((n, "plain"))
    if lang == "zh":
        if kind == "authority":
            for n in R.sample(names, min(2, len(names))):
                c = R.choice(CITIES)
                out.append((c + n if not n.startswith("市") else c[:-1] + n, "city"))
                plain.append(c + n)
                out.append((R.choice(CITIES) + n + R.choice(["-", "", " ", "·"]) + R.choice(STAFF_ZH),
                            "city_staff"))
        elif kind == "service":
            for n in R.sample(names, min(2, len(names))):
                if not n.endswith("客服"):
                    out.append((n + R.choice(CS_SUFFIX_ZH), "suffix"))
        for n in R.sample(plain, min(2, len(plain))):
            t = trad(n)
            if t != n:
                out.append((t, "traditional"))
        for p in pinyins:
            out.append((p, "pinyin"))
            out.append((digits_fullwidth(p.upper()), "fullwidth"))
        for n in R.sample(plain, min(3, len(plain))):
            out.append((with_separators(n, R.choice(SEPARATORS)), "separators"))
        for n in R.sample(plain, min(2, len(plain))):
            out.append((insert_between(n, EMOJI_BETWEEN), "emoji"))
            out.append((R.choice(AUTHORITY_EMOJI) + n, "emoji"))
        for n in R.sample(plain, min(2, len(plain))):
            out.append((insert_between(n, INVISIBLE), "invisible"))
        for n in R.sample(plain, min(2, len(plain))):
            out.append((rlo(n), "bidi"))
            out.append((insert_between(n, BIDI_MARKS), "bidi"))
        for n in R.sample(plain, len(plain)):
            h = homophone(n)
            if h and h != n:
                out.append((h, "homophone"))
                break
        for n in R.sample(plain, len(plain)):
            m = mixed_pinyin(n)
            if m:
                out.append((m, "mixed_pinyin"))
                break
        for n in R.sample(plain, min(1, len(plain))):
            out.append((n + R.choice(BADGES_ZH), "badge"))
        if number:
            code = R.choice(AREA_CODES)
            out.append((number, "number"))
            out.append((f"{code}-{number}", "number"))
            out.append((digits_fullwidth(number), "fullwidth"))
            out.append((R.choice(names) + number, "number"))
            if pinyins:
                out.append((pinyins[0].replace(" ", "") + number, "number"))
            out.append((f"+86 {number}", "number"))
    else:
        if kind == "service":
            for n in R.sample(names, min(2, len(names))):
                out.append((n + " " + R.choice(CS_SUFFIX_EN), "suffix"))
        for n in R.sample(names, min(2, len(names))):
            out.append((upper_or_lower(n), "case"))
        for n in R.sample(names, min(2, len(names))):
            out.append((digits_fullwidth(n), "fullwidth"))
        for n in R.sample(names, min(3, len(names))):
            h = homoglyph(n)
            if h:
                out.append((h, "homoglyph"))
        for n in R.sample(names, min(2, len(names))):
            d = digit_swap(n)
            if d:
                out.append((d, "digit_swap"))
        for n in R.sample(names, min(2, len(names))):
            out.append((R.choice(["-", ".", "_", "·"]).join(n.split()) if " " in n
                        else with_separators(n, R.choice([".", " ", "-"])), "separators"))
        for n in R.sample(names, min(2, len(names))):
            out.append((insert_between(n, INVISIBLE), "invisible"))
            out.append((rlo(n), "bidi"))
        for n in R.sample(names, min(1, len(names))):
            out.append((insert_between(n, EMOJI_BETWEEN), "emoji"))
            out.append((R.choice(AUTHORITY_EMOJI) + n, "emoji"))
            out.append((n + R.choice(BADGES_EN), "badge"))
        if number:
            out.append((f"{names[0]} {number}", "number"))
            out.append((number, "number"))
    return [(t, "impersonation", d) for t, d in out]


def genuine_person_zh(i):
    s, sp = R.choice(SURNAMES)
    g, gp = R.choice(GIVEN)
    name = s + g
    pin = f"{sp} {gp.replace(chr(39), '')}"
    rows = [(name, "plain"), (pin, "pinyin")]
    deco = [
        (name + " " + R.choice(EMOJI_BETWEEN), "emoji"),
        (R.choice(["小", "阿", "老"]) + g[-1], "nickname"),
        (name + R.choice(["-", " ", "·"]) + R.choice(["杭州", "上海", "长沙", "同事", "同学", "邻居",
                                                      "HR", "销售", "宝妈"]), "suffix"),
        (trad(name), "traditional"),
        ((sp + gp).lower().replace("'", "") + R.choice(["1990", "88", "520", "666", "2008"]),
         "number"),
        (f"{R.choice(FIRST_EN)} {name}", "english"),
        (digits_fullwidth(sp.upper()), "fullwidth"),
        (with_separators(name, R.choice([" ", "·"])), "separators"),
        (name + "👨\u200d👩\u200d👧", "invisible"),
        (sp + gp.replace("'", ""), "pinyin"),
    ]
    rows += R.sample(deco, 4)
    return ("zh_person_" + name, "zh", rows)


def genuine_person_en(i):
    f, l = R.choice(FIRST_EN), R.choice(LAST_EN)
    name = f"{f} {l}"
    deco = [
        (name.upper(), "case"),
        (f"{f[0]}. {l}", "initial"),
        (f"{f.lower()}.{l.lower()}", "separators"),
        (f"{f} {R.choice(['🎸', '🌻', '⚽', '🐶', '☕'])}", "emoji"),
        (f"{f}{R.choice(['88', '1990', '_07', '2k'])}", "number"),
        (digits_fullwidth(f), "fullwidth"),
        (f"{f} {l[0]}.", "initial"),
        (f"{f} (work)", "suffix"),
        (f + "\u200d💼", "invisible"),
    ]
    rows = [(name, "plain")] + R.sample(deco, 4)
    return ("en_person_" + name.lower().replace(" ", "_"), "en", rows)


def genuine_fixed(prefix, lang, items):
    out = []
    for w in items:
        rows = [(w, "plain")]
        if lang == "zh":
            deco = [(w + R.choice(EMOJI_BETWEEN), "emoji"), (trad(w), "traditional"),
                    (with_separators(w, " ") if len(w) <= 4 else w + " ", "separators"),
                    ("❤️" + w + "❤️", "emoji")]
        else:
            deco = [(w.upper(), "case"), (w.lower(), "case"), (w + " " + R.choice(EMOJI_BETWEEN), "emoji"),
                    (digits_fullwidth(w), "fullwidth")]
        rows += R.sample(deco, 2)
        key = hashlib.sha256(w.encode()).hexdigest()[:10]
        out.append((f"{prefix}_{key}", lang, rows))
    return out


def split_of(base):
    """70/15/15 train/dev/test by a hash of the base id."""
    h = int(hashlib.sha256(base.encode()).hexdigest()[:8], 16) % 100
    return "train" if h < 70 else "dev" if h < 85 else "test"


def main():
    bases = []  # (base, lang, label, [(text, disguise)])
    for b in IMPERSONATION:
        rows = impersonation_rows(b)
        bases.append((b[0], b[1], "impersonation", [(t, d) for t, _, d in rows]))
    people = set()
    for i in range(260):
        base, lang, rows = genuine_person_zh(i)
        if base not in people:
            people.add(base)
            bases.append((base, lang, "genuine", rows))
    for i in range(170):
        base, lang, rows = genuine_person_en(i)
        if base not in people:
            people.add(base)
            bases.append((base, lang, "genuine", rows))
    for prefix, lang, items in [("zh_family", "zh", FAMILY_ZH), ("en_family", "en", FAMILY_EN),
                                ("zh_nickname", "zh", NICK_ZH), ("en_nickname", "en", NICK_EN),
                                ("zh_teacher", "zh", TEACHERS_ZH), ("en_teacher", "en", TEACHERS_EN),
                                ("zh_shop", "zh", SHOPS_ZH), ("en_shop", "en", SHOPS_EN)]:
        for base, lg, rows in genuine_fixed(prefix, lang, items):
            bases.append((base, lg, "genuine", rows))

    # The widening: its own random stream, after everything above; no base of it in test.
    global R
    R = random.Random(16116)
    wider = []
    for b in WIDER_IMPERSONATION:
        rows = impersonation_rows(b)
        wider.append((b[0], b[1], "impersonation", [(t, d) for t, _, d in rows]))
    for prefix, lang, items in [("zh_wider", "zh", WIDER_GENUINE_ZH), ("en_wider", "en", WIDER_GENUINE_EN)]:
        for base, lg, rows in genuine_fixed(prefix, lang, items):
            wider.append((base, lg, "genuine", rows))
    bases += [b for b in wider if split_of(b[0]) != "test"]

    # The second widening (names3): its own random stream, after the widening; none in test.
    R = random.Random(16216)
    names3 = []
    for base, names in JOINED_NUMBERS:
        names3.append((base, "zh", "impersonation", joined_number_rows(names)))
    for base, lang, names in NAMES3_SHAPES:
        names3.append((base, lang, "impersonation", shape_rows(names, lang)))
    for prefix, lang, items in [("zh_names3", "zh", NAMES3_GENUINE_ZH), ("en_names3", "en", NAMES3_GENUINE_EN)]:
        for base, lg, rows in genuine_fixed(prefix, lang, items):
            names3.append((base, lg, "genuine", rows))
    bases += [b for b in names3 if split_of(b[0]) != "test"]

    # The third widening (names4): its own random stream, after names3; none in test.
    R = random.Random(16316)
    names4 = []
    for base, lang, names in NAMES4_SHAPES:
        names4.append((base, lang, "impersonation", shape_rows(names, lang)))
    for prefix, lang, items in [("zh_names4", "zh", NAMES4_GENUINE_ZH), ("en_names4", "en", NAMES4_GENUINE_EN)]:
        for base, lg, rows in genuine_fixed(prefix, lang, items):
            names4.append((base, lg, "genuine", rows))
    bases += [b for b in names4 if split_of(b[0]) != "test"]

    # The fourth widening (names5): its own random stream, after names4; none in test.
    R = random.Random(16416)
    names5 = []
    for base, lang, names in NAMES5_SHAPES:
        names5.append((base, lang, "impersonation", shape_rows(names, lang)))
    for prefix, lang, items in [("zh_names5", "zh", NAMES5_GENUINE_ZH), ("en_names5", "en", NAMES5_GENUINE_EN)]:
        for base, lg, rows in genuine_fixed(prefix, lang, items):
            names5.append((base, lg, "genuine", rows))
    bases += [b for b in names5 if split_of(b[0]) != "test"]

    # The fifth widening (names6): its own random stream, after names5; none in test.
    R = random.Random(16516)
    names6 = []
    for base, lang, names in NAMES6_SHAPES:
        names6.append((base, lang, "impersonation", shape_rows(names, lang)))
    for prefix, lang, items in [("zh_names6", "zh", NAMES6_GENUINE_ZH), ("en_names6", "en", NAMES6_GENUINE_EN)]:
        for base, lg, rows in genuine_fixed(prefix, lang, items):
            names6.append((base, lg, "genuine", rows))
    bases += [b for b in names6 if split_of(b[0]) != "test"]

    records, seen = [], {}
    for base, lang, label, rows in bases:
        for text, disguise in rows:
            if not text.strip():
                continue
            if text in seen:
                # The same text from two bases: kept once, and never with both labels.
                assert seen[text] == label, (text, base)
                continue
            seen[text] = label
            records.append({"id": f"names-{len(records):05d}", "text": text, "label": label,
                            "split": split_of(base), "base": base, "disguise": disguise,
                            "lang": lang})
    out_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "display_names.jsonl")
    with open(out_path, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    counts = {}
    for r in records:
        counts[(r["label"], r["split"])] = counts.get((r["label"], r["split"]), 0) + 1
    print(f"wrote {len(records)} records to {out_path}: {sorted(counts.items())}")


if __name__ == "__main__":
    main()
