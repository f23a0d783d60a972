package demo

// Word lists the generator draws from. Every name they make up is fictional.

// place is a province (the customer's region) with cities its companies are
// named after; code is the administrative division code a USCC carries.
type place struct {
	region string
	cities []city
}

type city struct {
	zh, en, code string
}

var places = []place{
	{"北京", []city{{"北京", "Beijing", "110105"}, {"北京", "Beijing", "110108"}}},
	{"上海", []city{{"上海", "Shanghai", "310115"}, {"上海", "Shanghai", "310104"}}},
	{"天津", []city{{"天津", "Tianjin", "120116"}}},
	{"重庆", []city{{"重庆", "Chongqing", "500103"}, {"重庆", "Chongqing", "500112"}}},
	{"江苏", []city{{"苏州", "Suzhou", "320505"}, {"南京", "Nanjing", "320104"}, {"无锡", "Wuxi", "320214"}}},
	{"浙江", []city{{"杭州", "Hangzhou", "330106"}, {"宁波", "Ningbo", "330212"}}},
	{"广东", []city{{"广州", "Guangzhou", "440106"}, {"深圳", "Shenzhen", "440305"}, {"佛山", "Foshan", "440604"}}},
	{"山东", []city{{"青岛", "Qingdao", "370212"}, {"济南", "Jinan", "370102"}}},
	{"四川", []city{{"成都", "Chengdu", "510107"}}},
	{"湖北", []city{{"武汉", "Wuhan", "420106"}}},
	{"福建", []city{{"厦门", "Xiamen", "350203"}, {"福州", "Fuzhou", "350102"}}},
	{"河南", []city{{"郑州", "Zhengzhou", "410105"}}},
	{"陕西", []city{{"西安", "Xi'an", "610113"}}},
	{"辽宁", []city{{"大连", "Dalian", "210204"}, {"沈阳", "Shenyang", "210102"}}},
	{"安徽", []city{{"合肥", "Hefei", "340104"}}},
	{"湖南", []city{{"长沙", "Changsha", "430102"}}},
}

// tradeName is a company's 字号 with its romanisation.
type tradeName struct{ zh, en string }

// Not 华信, 精华, 北洋, 蓝山 or 西域: demo.json's customers (华信冷链 is the
// one the README and the tests search for) keep their names to themselves.
var tradeNames = []tradeName{
	{"瑞信", "Ruixin"}, {"恒达", "Hengda"}, {"金瑞", "Jinrui"}, {"宏远", "Hongyuan"}, {"新锐", "Xinrui"},
	{"博远", "Boyuan"}, {"东盛", "Dongsheng"}, {"瑞丰", "Ruifeng"}, {"天成", "Tiancheng"}, {"中科", "Zhongke"},
	{"长青", "Changqing"}, {"鼎泰", "Dingtai"}, {"汇通", "Huitong"}, {"正源", "Zhengyuan"}, {"嘉禾", "Jiahe"},
	{"远航", "Yuanhang"}, {"明德", "Mingde"}, {"卓越", "Zhuoyue"}, {"安泰", "Antai"}, {"永兴", "Yongxing"},
	{"海纳", "Haina"}, {"聚源", "Juyuan"}, {"联创", "Lianchuang"}, {"启明", "Qiming"}, {"润华", "Runhua"},
	{"星河", "Xinghe"}, {"泰和", "Taihe"}, {"银河", "Yinhe"}, {"华腾", "Huateng"}, {"德润", "Derun"},
	{"振华", "Zhenhua"}, {"万通", "Wantong"}, {"盛世", "Shengshi"}, {"宏达", "Hongda"}, {"同创", "Tongchuang"},
	{"天弘", "Tianhong"}, {"凯旋", "Kaixuan"}, {"信达", "Xinda"}, {"中远", "Zhongyuan"}, {"鸿运", "Hongyun"},
	{"青松", "Qingsong"}, {"蓝海", "Lanhai"}, {"金桥", "Jinqiao"}, {"创新", "Chuangxin"}, {"华夏", "Huaxia"},
	{"祥和", "Xianghe"}, {"东方", "Dongfang"}, {"北辰", "Beichen"}, {"南山", "Nanshan"}, {"西岭", "Xiling"},
}

// industry is what a company does, the words its name takes, and the needs
// its signals show.
type industry struct {
	id, zh, en string
	needs      []string // Need ids, without the prefix
}

var industries = []industry{
	{"logistics", "冷链物流", "Cold Chain Logistics", []string{"n-g-coldchain", "n-g-tms", "n-g-visibility"}},
	{"pharma", "制药", "Pharmaceutical", []string{"n-g-gmp", "n-g-serialization", "n-g-coldchain"}},
	{"manufacturing", "重型机械", "Heavy Machinery", []string{"n-g-plm", "n-g-mes", "n-g-predictive"}},
	{"electronics", "电子科技", "Electronics Technology", []string{"n-g-plm", "n-g-mes", "n-g-quality"}},
	{"automotive", "汽车零部件", "Auto Parts", []string{"n-g-mes", "n-g-quality", "n-g-erp"}},
	{"retail", "商贸", "Trading", []string{"n-g-erp", "n-g-omnichannel", "n-g-visibility"}},
	{"food", "食品", "Food", []string{"n-g-coldchain", "n-g-traceability", "n-g-quality"}},
	{"chemicals", "化工", "Chemical", []string{"n-g-ehs", "n-g-erp", "n-g-predictive"}},
	{"energy", "新能源", "New Energy", []string{"n-g-predictive", "n-g-ehs", "n-g-erp"}},
	{"construction", "建设工程", "Construction Engineering", []string{"n-g-project", "n-g-erp", "n-g-ehs"}},
	{"agriculture", "农业发展", "Agricultural Development", []string{"n-g-traceability", "n-g-coldchain", "n-g-erp"}},
	{"textiles", "纺织", "Textile", []string{"n-g-erp", "n-g-mes", "n-g-omnichannel"}},
}

// Legal suffixes, the common ones of companynameparser's suffix list.
var suffixes = []struct{ zh, en string }{
	{"有限公司", "Co., Ltd."}, {"有限公司", "Co., Ltd."}, {"有限公司", "Co., Ltd."},
	{"股份有限公司", "Co., Ltd. (joint-stock)"}, {"有限责任公司", "Co., Ltd."}, {"集团有限公司", "Group Co., Ltd."},
}

var sizes = []string{"1-100", "100-500", "100-500", "500-1000", "1000+"}

// A person's name: surname and given name, with their romanisation.
var surnames = []tradeName{
	{"王", "Wang"}, {"李", "Li"}, {"张", "Zhang"}, {"刘", "Liu"}, {"陈", "Chen"}, {"杨", "Yang"}, {"黄", "Huang"},
	{"赵", "Zhao"}, {"吴", "Wu"}, {"周", "Zhou"}, {"徐", "Xu"}, {"孙", "Sun"}, {"马", "Ma"}, {"朱", "Zhu"},
	{"胡", "Hu"}, {"郭", "Guo"}, {"何", "He"}, {"高", "Gao"}, {"林", "Lin"}, {"罗", "Luo"}, {"郑", "Zheng"},
	{"梁", "Liang"}, {"谢", "Xie"}, {"宋", "Song"}, {"唐", "Tang"}, {"许", "Xu"}, {"韩", "Han"}, {"冯", "Feng"},
}

var givenNames = []tradeName{
	{"伟", "Wei"}, {"芳", "Fang"}, {"娜", "Na"}, {"敏", "Min"}, {"静", "Jing"}, {"丽", "Li"}, {"强", "Qiang"},
	{"磊", "Lei"}, {"军", "Jun"}, {"洋", "Yang"}, {"勇", "Yong"}, {"艳", "Yan"}, {"杰", "Jie"}, {"涛", "Tao"},
	{"明", "Ming"}, {"超", "Chao"}, {"秀英", "Xiuying"}, {"建华", "Jianhua"}, {"晓东", "Xiaodong"}, {"海燕", "Haiyan"},
	{"志强", "Zhiqiang"}, {"雪梅", "Xuemei"}, {"国庆", "Guoqing"}, {"文博", "Wenbo"}, {"思远", "Siyuan"},
	{"子涵", "Zihan"}, {"欣怡", "Xinyi"}, {"宇航", "Yuhang"}, {"嘉怡", "Jiayi"}, {"浩然", "Haoran"},
}

// roleTitles are the titles people of each decision role carry.
var roleTitles = map[string][]string{
	"economic_buyer": {"总经理", "副总经理", "财务总监", "首席运营官"},
	"technical_lead": {"信息中心主任", "首席信息官", "技术总监", "IT经理"},
	"procurement":    {"采购经理", "采购部主任", "供应链总监"},
	"user":           {"运营经理", "生产经理", "质量主管", "仓储主管", "业务分析师"},
	"influencer":     {"IT顾问", "项目经理", "数字化专员"},
}
