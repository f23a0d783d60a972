package ingest_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/valuegraph/valuegraph/ingest"
)

func TestExtract(t *testing.T) {
	x, err := ingest.LoadLexicon(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		text     string
		mentions []string
		seeking  bool
	}{
		{"LongestTermFirst", "阿里云盘还是慢慢少用吧", []string{"Aliyun Drive"}, false},
		{"LatinWholeWords", "The laws of AWS pricing", []string{"AWS"}, false},
		{"FullWidth", "ＡＷＳ 和 阿里云 哪个好", []string{"AWS", "Alibaba Cloud"}, false},
		{"ChineseInsideAWord", "京东方的屏幕和对我来说", nil, false},
		{"ChineseAtWordBoundaries", "北京华为的岗位，在腾讯云上部署", []string{"Huawei", "Tencent Cloud"}, false},
		{"Models", "用 iPhone 12 mini 和 iphone13，还有 i9-14900K、小米 4A 电视、macbook16 寸", []string{"iPhone 12 mini", "iPhone 13", "i9 14900K", "Xiaomi 4A", "MacBook"}, false},
		{"ModelsAfterMakers", "Intel 14900K 配 RTX4090，Intel 的 10 代 U", []string{"Intel 14900K", "RTX 4090", "Intel"}, false},
		{"Versions", "DeepSeek V4 和 Python 3.12，2023 年的 Docker", []string{"DeepSeek V4", "Python 3.12", "Docker"}, false},
		{"ModelSuffixes", "群晖 DS220+ 和 Redmi note 14 pro +，内存 8+256；1. Shadowrocket 2. Loon", []string{"Synology DS220+", "Redmi Note 14 Pro+", "Shadowrocket", "Loon"}, false},
		{"NotModels", "红米 4K 显示器，iPhone 5G", []string{"Redmi", "iPhone"}, false},
		{"Abbreviations", "k8s 集群前面挂 cf", []string{"Kubernetes", "Cloudflare"}, false},
		{"DictionaryBrands", "用 Postman 调接口，存在 DigitalOcean 上", []string{"Postman", "DigitalOcean"}, false},
		{"OrdinaryWordsOnlyAsWritten", "zoom in 一下；Zoom 开会", []string{"Zoom"}, false},
		{"StopList", "JSON 和 USB 都不是厂商", nil, false},
		{"URLsFilesCodeMail", "图 ![chrome.png](https://i.imgur.com/chrome.png) 见 https://github.com/x/y ，`docker run` 之外，写信 a@gmail.com，文件 firefox_setup.exe", nil, false},
		{"FenceWithLanguageIsCode", "装好了\n```shell\nbrew install redis\n```\n", nil, false},
		{"TroubleThenRecommendation", "lastpass 无法继续使用，求推荐跨平台的密码管理软件", []string{"LastPass", "密码管理"}, true},
		{"RecommendationAfterOutage", "印象笔记昨天挂了一整天。有啥推荐的笔记软件？", []string{"Evernote", "笔记软件"}, true},
		{"ReplaceAThing", "希望更换一个数据库，有没有推荐的", nil, true},
		{"ReplaceWithQuestion", "github 强制 2fa，有什么替代的吗", []string{"GitHub"}, true},
		{"CareerNotAlternative", "程序员会被替代吗", nil, false},
		{"ScriptNotAlternative", "替换脚本里的策略有什么好办法", nil, false},
		{"FirstPurchase", "第一次买 NAS，群晖和威联通哪个好", []string{"Synology", "QNAP"}, false},
		{"SwitchReported", "关于用云闪付完全替代支付宝这件事儿，打算卸载支付宝", []string{"UnionPay QuickPass", "Alipay"}, false},
		{"ModelOfAMaker", "索尼 85X85K 和 OPPO Reno6，换到 vivo X200S；联想 965 不是型号", []string{"Sony 85X85K", "OPPO Reno 6", "vivo X200S", "Lenovo"}, false},
		{"MakerNumberNamesItsPhone", "苹果 13 pro 用了两年，Apple M1 也不错", []string{"iPhone 13 Pro", "Apple", "M1"}, false},
		{"ShortNamesOfDictionaryProducts", "tomcat 上跑，换成 Kafka 和 BigQuery；Maven 构建", []string{"Kafka", "Google BigQuery", "Apache Maven"}, false},
		{"SwitchAlreadyMade", "去年已经迁移到了 PostgreSQL，有什么要注意的吗", []string{"PostgreSQL"}, false},
		{"ReportTitle", "从 iOS 换到安卓的一点使用体验\n推荐大家试试 GKD，有什么问题可以问我", []string{"iOS", "Android"}, false},
		{"ReplaceAsAQuestion", "大家有在用 Cursor 吗？替代 VS Code？", []string{"Cursor", "VS Code"}, true},
		{"UsedThenAskInTitle", "求推荐去屑洗发水\n用过几十的，一二百的，至今没找到一款真去屑的", nil, true},
		{"NeedIsNotAnAsk", "我们的需求是替换掉旧的报表系统", nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ex := x.Extract(tc.text)
			var got []string
			for _, m := range ex.Mentions {
				got = append(got, m.Name())
			}
			seeking := slices.Contains(ex.Intents, ingest.IntentAlternative)
			if !slices.Equal(got, tc.mentions) || seeking != tc.seeking {
				t.Errorf("Extract(%q) = %q seeking %v, want %q seeking %v", tc.text, got, seeking, tc.mentions, tc.seeking)
			}
		})
	}
}

func TestLoadLexiconErrors(t *testing.T) {
	for _, tc := range []struct{ name, yaml, want string }{
		{"UnknownKey", "entities:\n  a: {name: A, kind: vendor, terms: [a], color: red}\n", "field color not found"},
		{"BadKind", "entities:\n  a: {name: A, kind: person, terms: [a]}\n", "entities.a.kind: must be vendor, product or need"},
		{"SharedTerm", "entities:\n  a: {name: A, kind: vendor, terms: [云]}\n  b: {name: B, kind: vendor, terms: [云]}\n", "is also a term of"},
		{"NoTerms", "entities:\n  a: {name: A, kind: vendor}\n", "entities.a.terms: at least one term"},
		{"ModelsOfNoProduct", "entities:\n  a: {name: A, kind: vendor, models_of: b, terms: [a]}\n  b: {name: B, kind: vendor, terms: [b]}\n", "entities.a.models_of: \"b\" is not a product of the lexicon"},
		{"ExcludeUnknownIntent", "entities:\n  a: {name: A, kind: vendor, terms: [a]}\nexclude:\n  praise: [x]\n", "exclude.praise: no such intent"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ingest.LoadLexicon([]byte(tc.yaml), "lex.yaml")
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "lex.yaml") {
				t.Fatalf("err = %v, want one naming lex.yaml and %q", err, tc.want)
			}
		})
	}
}
