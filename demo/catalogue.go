package demo

import "github.com/valuegraph/valuegraph"

// The catalogue every generated dataset shares: needs, our offerings,
// competitors and products. Ids are without the prefix.

var needs = []valuegraph.Need{
	{ID: "n-g-coldchain", Name: "冷链温控合规", Category: "logistics", Aliases: []string{"cold-chain temperature compliance"}},
	{ID: "n-g-tms", Name: "运输管理系统升级", Category: "logistics", Aliases: []string{"TMS upgrade"}},
	{ID: "n-g-visibility", Name: "供应链可视化", Category: "logistics", Aliases: []string{"supply-chain visibility"}},
	{ID: "n-g-gmp", Name: "GMP数据完整性", Category: "compliance", Aliases: []string{"GMP data integrity"}},
	{ID: "n-g-serialization", Name: "药品追溯码赋码", Category: "compliance", Aliases: []string{"drug serialisation"}},
	{ID: "n-g-plm", Name: "国产PLM迁移", Category: "software", Aliases: []string{"PLM migration to a domestic vendor"}},
	{ID: "n-g-mes", Name: "MES车间数字化", Category: "software", Aliases: []string{"shop-floor MES"}},
	{ID: "n-g-predictive", Name: "设备预测性维护", Category: "operations", Aliases: []string{"predictive maintenance"}},
	{ID: "n-g-quality", Name: "质量追溯闭环", Category: "operations", Aliases: []string{"closed-loop quality"}},
	{ID: "n-g-erp", Name: "ERP上云", Category: "software", Aliases: []string{"cloud ERP"}},
	{ID: "n-g-omnichannel", Name: "全渠道订单整合", Category: "retail", Aliases: []string{"omnichannel orders"}},
	{ID: "n-g-traceability", Name: "农产品溯源", Category: "compliance", Aliases: []string{"farm-to-table traceability"}},
	{ID: "n-g-ehs", Name: "安全环保合规", Category: "compliance", Aliases: []string{"EHS compliance"}},
	{ID: "n-g-project", Name: "项目成本管控", Category: "operations", Aliases: []string{"project cost control"}},
}

var offerings = []valuegraph.Offering{
	{ID: "o-g-coldchain", Name: "冷链温控合规包", Description: "温度传感 + 异常告警 + 监管报表，四周上线", NeedIDs: []string{"n-g-coldchain"}},
	{ID: "o-g-tms", Name: "TMS云版迁移服务", Description: "六周迁移现有运输调度到云端", NeedIDs: []string{"n-g-tms", "n-g-visibility"}},
	{ID: "o-g-gmp", Name: "GMP电子批记录", Description: "审计追踪与电子签名，满足数据完整性检查", NeedIDs: []string{"n-g-gmp", "n-g-serialization"}},
	{ID: "o-g-plm", Name: "PLM迁移评估与试点", Description: "四周评估 + 一条产品线试点", NeedIDs: []string{"n-g-plm"}},
	{ID: "o-g-mes", Name: "轻量MES快速部署", Description: "一个车间八周上线，按工位订阅", NeedIDs: []string{"n-g-mes", "n-g-quality"}},
	{ID: "o-g-predictive", Name: "设备健康监测试点", Description: "十台关键设备振动监测三个月试点", NeedIDs: []string{"n-g-predictive"}},
	{ID: "o-g-erp", Name: "ERP上云路线图", Description: "两周诊断与分阶段迁移计划", NeedIDs: []string{"n-g-erp", "n-g-project"}},
	{ID: "o-g-omnichannel", Name: "订单中台标准版", Description: "线上线下订单统一履约", NeedIDs: []string{"n-g-omnichannel"}},
	{ID: "o-g-traceability", Name: "一物一码溯源", Description: "从产地到门店的批次追溯", NeedIDs: []string{"n-g-traceability"}},
	{ID: "o-g-ehs", Name: "EHS合规助手", Description: "隐患排查与环保台账", NeedIDs: []string{"n-g-ehs"}},
}

var competitors = []valuegraph.Competitor{
	{ID: "k-g-yonyou", Name: "用友", Aliases: []string{"Yonyou", "用友网络"}, Website: "https://www.yonyou.com"},
	{ID: "k-g-huaweicloud", Name: "华为云", Aliases: []string{"Huawei Cloud"}, Website: "https://www.huaweicloud.com"},
	{ID: "k-g-tencentcloud", Name: "腾讯云", Aliases: []string{"Tencent Cloud"}, Website: "https://cloud.tencent.com"},
	{ID: "k-g-oracle", Name: "Oracle", Aliases: []string{"甲骨文"}, Website: "https://www.oracle.com"},
	{ID: "k-g-digiwin", Name: "鼎捷", Aliases: []string{"Digiwin", "鼎捷软件"}, Website: "https://www.digiwin.com"},
	{ID: "k-g-inspur", Name: "浪潮", Aliases: []string{"Inspur", "浪潮软件"}, Website: "https://www.inspur.com"},
	{ID: "k-g-salesforce", Name: "Salesforce", Aliases: []string{"赛富时"}, Website: "https://www.salesforce.com"},
	{ID: "k-g-siemens", Name: "西门子", Aliases: []string{"Siemens", "Siemens Digital Industries"}, Website: "https://www.siemens.com"},
}

var products = []valuegraph.Product{
	{ID: "pr-g-yonyou-bip", Name: "用友BIP", Aliases: []string{"YonBIP"}, Vendor: "用友", CompetitorID: "k-g-yonyou"},
	{ID: "pr-g-yonyou-u8", Name: "用友U8", Aliases: []string{"U8 cloud"}, Vendor: "用友", CompetitorID: "k-g-yonyou"},
	{ID: "pr-g-huawei-iot", Name: "华为云IoT", Vendor: "华为云", CompetitorID: "k-g-huaweicloud"},
	{ID: "pr-g-tencent-wecom", Name: "企业微信", Aliases: []string{"WeCom"}, Vendor: "腾讯云", CompetitorID: "k-g-tencentcloud"},
	{ID: "pr-g-oracle-netsuite", Name: "Oracle NetSuite", Aliases: []string{"NetSuite"}, Vendor: "Oracle", CompetitorID: "k-g-oracle"},
	{ID: "pr-g-digiwin-mes", Name: "鼎捷MES", Vendor: "鼎捷", CompetitorID: "k-g-digiwin"},
	{ID: "pr-g-inspur-gs", Name: "浪潮GS", Aliases: []string{"Inspur GS Cloud"}, Vendor: "浪潮", CompetitorID: "k-g-inspur"},
	{ID: "pr-g-salesforce-crm", Name: "Salesforce Sales Cloud", Vendor: "Salesforce", CompetitorID: "k-g-salesforce"},
	{ID: "pr-g-siemens-teamcenter", Name: "Teamcenter", Vendor: "西门子", CompetitorID: "k-g-siemens"},
	{ID: "pr-g-ours-coldchain", Name: "ValueGraph 冷链监测", Vendor: "ValueGraph", Ours: true},
	{ID: "pr-g-ours-mes", Name: "ValueGraph 轻量MES", Vendor: "ValueGraph", Ours: true},
	{ID: "pr-g-ours-erp", Name: "ValueGraph 云ERP", Vendor: "ValueGraph", Ours: true},
}

// needProducts: a competitor product a customer with the need may use.
var needProducts = map[string]string{
	"n-g-coldchain": "pr-g-huawei-iot", "n-g-tms": "pr-g-oracle-netsuite", "n-g-visibility": "pr-g-huawei-iot",
	"n-g-gmp": "pr-g-inspur-gs", "n-g-serialization": "pr-g-inspur-gs", "n-g-plm": "pr-g-siemens-teamcenter",
	"n-g-mes": "pr-g-digiwin-mes", "n-g-predictive": "pr-g-huawei-iot", "n-g-quality": "pr-g-digiwin-mes",
	"n-g-erp": "pr-g-yonyou-u8", "n-g-omnichannel": "pr-g-salesforce-crm", "n-g-traceability": "pr-g-tencent-wecom",
	"n-g-ehs": "pr-g-yonyou-bip", "n-g-project": "pr-g-yonyou-bip",
}

// ourProducts: what an order of a customer with the need is for.
var ourProducts = map[string]string{
	"n-g-coldchain": "pr-g-ours-coldchain", "n-g-mes": "pr-g-ours-mes", "n-g-quality": "pr-g-ours-mes",
	"n-g-erp": "pr-g-ours-erp", "n-g-project": "pr-g-ours-erp",
}
