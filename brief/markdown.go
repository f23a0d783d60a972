package brief

import (
	"fmt"
	"strings"

	"github.com/valuegraph/valuegraph"
)

// Markdown renders a brief for printing or sharing, in Chinese ("zh") or
// English ("en"). Contact data is shown only when contacts is true (the
// caller may see it).
func Markdown(b *valuegraph.Brief, lang string, contacts bool) string {
	zh := lang != "en"
	t := func(zhs, ens string) string {
		if zh {
			return zhs
		}
		return ens
	}
	var w strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&w, format, args...) }
	trust := func(l valuegraph.TrustLevel) string {
		return map[valuegraph.TrustLevel]string{1: t("L1 自有系统", "L1 own systems"), 2: t("L2 官方来源", "L2 official sources"), 3: t("L3 公开网络/观察", "L3 open web/observation")}[l]
	}
	date := func(s valuegraph.Signal) string { return s.OccurredAt.Format("2006-01-02") }

	p("# %s — %s\n\n", t("本次沟通价值锚点清单", "Pre-visit brief"), b.Customer.Name)
	owner := t("未分配", "unassigned")
	if b.Owner != nil {
		owner = firstNonEmpty(b.Owner.Name, b.Owner.ID)
	}
	p("%s %s · %s %s\n\n", t("生成于", "Generated"), b.GeneratedAt.Format("2006-01-02 15:04 MST"), t("负责人", "Owner"), owner)

	p("## %s\n\n", t("阶段与分级", "Stage and tier"))
	if a := b.Assessment; a == nil {
		p("%s\n\n", t("尚未评分。", "Not scored yet."))
	} else {
		model, modelConf := a.ModelStage, a.ModelStageConfidence
		if model == "" {
			model, modelConf = a.Stage, a.StageConfidence
		}
		if c := stageCorrection(a); c != nil && c.Standing() {
			// The rep's word first, the model's beside it.
			day := c.At.Format("2006-01-02")
			p("- %s: **%s** — %s", t("价值阶段", "Stage"), StageName(a.Stage, zh), t("销售代表 "+c.By+" 于 "+day+" 更正", "corrected by rep "+c.By+" on "+day))
			if c.Note != "" {
				p(t("：“%s”", ": “%s”"), c.Note)
			}
			p(" (L%d)\n- %s: %s (%.0f%%)\n", c.Trust, t("模型判断", "The model says"), StageName(model, zh), modelConf*100)
		} else {
			p("- %s: **%s** (%.0f%%)\n", t("价值阶段", "Stage"), StageName(model, zh), modelConf*100)
			if c != nil {
				p("- %s\n", t(c.EndedZH, c.EndedEN))
			}
		}
		p("- %s: **%s** (%.2f = %s)\n\n", t("分级", "Tier"), a.Tier, a.TierScore, strings.Join(addingUp(a.TierWhy, 3, zh), " + "))
		p(t("模型依据（各项相加即阶段得分 %.2f）：", "Why, as the model sees it (the reasons add up to the stage's score, %.2f):")+"\n\n", a.StageWhy.Score)
		for _, r := range addingUp(a.StageWhy, 3, zh) {
			p("- %s\n", r)
		}
		p("\n")
	}

	switch n := len(b.PainPoints); n {
	case 0, 1:
		p("## %s\n\n", t("痛点", "Pain points"))
	default:
		p("## %s\n\n", t(fmt.Sprintf("痛点 Top %d", n), fmt.Sprintf("Top %d pain points", n)))
	}
	if len(b.PainPoints) == 0 {
		p("%s\n\n", t("信号中未发现明确需求。", "No need shows in the signals yet."))
	}
	for i, pp := range b.PainPoints {
		p("%d. **%s** — %s %.2f, %s %s, %s %s\n", i+1, pp.Need.Name, t("强度", "strength"), pp.Strength, t("最近", "last seen"),
			pp.LastSeen.Format("2006-01-02"), t("最可信来源", "best source"), trust(pp.BestTrust))
		for _, o := range pp.Offerings {
			p("   - %s: %s", t("建议方案", "We can offer"), o.Name)
			if o.Description != "" {
				p(" — %s", o.Description)
			}
			p("\n")
		}
		if len(pp.Offerings) == 0 {
			p("   - %s\n", t("尚无对应方案", "No offering of ours addresses it yet"))
		}
		for _, s := range pp.Evidence {
			p("   - %s %s（%s, %s）\n", date(s), s.Title, s.Source, trust(s.Trust))
		}
	}
	p("\n## %s\n\n", t("决策链", "Decision-makers"))
	if len(b.DecisionMakers) == 0 {
		p("%s\n\n", t("尚无人员信息。", "No people known yet."))
	} else {
		if contacts {
			p("| %s | %s | %s | %s | %s | %s | %s |\n|---|---|---|---|---|---|---|\n", t("姓名", "Name"), t("职务", "Title"), t("角色", "Role"), t("汇报给", "Reports to"), t("变化", "Change"), t("我方熟悉的人", "Known by"), t("联系方式", "Contact"))
		} else {
			p("| %s | %s | %s | %s | %s | %s |\n|---|---|---|---|---|---|\n", t("姓名", "Name"), t("职务", "Title"), t("角色", "Role"), t("汇报给", "Reports to"), t("变化", "Change"), t("我方熟悉的人", "Known by"))
		}
		names := map[string]string{}
		for _, dm := range b.DecisionMakers {
			names[dm.Person.ID] = dm.Person.Name
		}
		for _, dm := range b.DecisionMakers {
			change := map[string]string{"joined": t("新加入", "joined"), "left": t("已离任", "left")}[dm.Change]
			var known []string
			for _, k := range dm.Person.KnownBy {
				known = append(known, fmt.Sprintf(t("%s（%d次，回应%d次，最近%s）", "%s (%d contacts, %d answered, last %s)"),
					k.RepID, k.Contacts, k.Answered, k.LastContact.Format("2006-01-02")))
			}
			p("| %s | %s | %s | %s | %s | %s |", dm.Person.Name, dm.Person.Title, RoleName(dm.Person.Role, zh), firstNonEmpty(names[dm.Person.ReportsTo], dm.Person.ReportsTo), change,
				strings.Join(known, "; "))
			if contacts {
				p(" %s |", strings.TrimSpace(dm.Person.Phone+" "+dm.Person.Email))
			}
			p("\n")
		}
		p("\n")
	}
	p("## %s\n\n", t("竞争态势", "Competitors"))
	if len(b.Competitors) == 0 {
		p("%s\n\n", t("信号中未出现竞争对手。", "No competitor shows in the signals."))
	}
	for _, k := range b.Competitors {
		p("- %s: %d %s, %s %s\n", k.Competitor.Name, k.Mentions, t("条信号提及", "signals"), t("最近", "last"), k.LastSeen.Format("2006-01-02"))
	}
	p("\n## %s\n\n", t("上次拜访以来的变化", "What changed since the last visit"))
	if !b.LastVisit.IsZero() {
		p("%s %s\n\n", t("上次拜访：", "Last visit:"), b.LastVisit.Format("2006-01-02"))
	}
	if len(b.Changes) == 0 {
		p("%s\n", t("无新信号。", "No new signals."))
	}
	for _, s := range b.Changes {
		p("- %s %s（%s, %s）", date(s), s.Title, s.Kind, trust(s.Trust))
		if x := s.ExcludedFor(b.Customer.ID); x != nil {
			p(t(" — 已排除：%s 于 %s 判断与本客户无关，不计入评分", " — excluded: %s judged it irrelevant to this customer on %s; it counts in no score"), x.By, x.At.Format("2006-01-02"))
		}
		p("\n")
	}
	if a := b.Assessment; a != nil {
		p("\n## %s\n\n", t("风险", "Risks"))
		for _, r := range []struct {
			name, zh, en string
			v            float64
		}{{"replacement", "被替换", "replacement", a.Risks.Replacement}, {"churn", "流失", "churn", a.Risks.Churn}, {"credit", "信用", "credit", a.Risks.Credit}} {
			// A rep's word on the risk whichever way it goes, the model's two
			// strongest reasons, the rest, the baseline: adding up to the
			// risk's log-odds.
			e := a.RiskWhy[r.name]
			p("- %s %.0f%%", t(r.zh, r.en), r.v*100)
			if len(e.Reasons) > 0 {
				p(" — %s%s %.2f", strings.Join(addingUp(e, 2, zh), t("；", "; ")), t("；合计（对数几率）", "; in all (log-odds)"), e.Score)
			}
			p("\n")
			for _, c := range a.Corrections {
				if c.Score == r.name && !c.Standing() {
					p("  - %s\n", t(c.EndedZH, c.EndedEN))
				}
			}
		}
	}
	p("\n## %s\n\n", t("销售代表的更正", "Reps' corrections"))
	if len(b.Feedback) == 0 {
		p("%s\n", t("暂无。", "None yet."))
	}
	for _, f := range b.Feedback {
		p("- %s %s · %s", f.CreatedAt.Format("2006-01-02"), f.Author, strings.ToUpper(string(f.Kind)))
		if f.Text != "" {
			p(t("：“%s”", ": “%s”"), f.Text)
		}
		p(" — %s\n", t(f.EffectZH, f.EffectEN))
	}
	p("\n## %s\n\n", t("建议话题", "Talking points"))
	if len(b.TalkingPoints) == 0 {
		p("%s\n", t("暂无。", "None yet."))
	}
	for i, tp := range b.TalkingPoints {
		p("%d. %s — %s\n", i+1, t(tp.ZH, tp.EN), t(tp.WhyZH, tp.WhyEN))
	}
	return w.String()
}

func sentence(r valuegraph.Reason, zh bool) string {
	if zh {
		return firstNonEmpty(r.SentenceZH, r.Factor)
	}
	return firstNonEmpty(r.SentenceEN, r.Factor)
}

// addingUp lists a score's reasons so that their contributions add up to
// it: a rep's correction and the n strongest of the others each on its own,
// the rest as one line, the baseline last.
func addingUp(e valuegraph.Explained, n int, zh bool) []string {
	var out, baseline []string
	rest, others := 0.0, 0
	line := func(r valuegraph.Reason) string { return fmt.Sprintf("%s (%+.2f)", sentence(r, zh), r.Contribution) }
	for _, r := range e.Reasons {
		switch {
		case r.Factor == "baseline":
			baseline = append(baseline, line(r))
		case r.Factor == valuegraph.CorrectionFactor:
			out = append([]string{line(r)}, out...)
		case n > 0:
			out = append(out, line(r))
			n--
		default:
			rest += r.Contribution
			others++
		}
	}
	if others > 0 {
		if zh {
			out = append(out, fmt.Sprintf("其他%d项因素 (%+.2f)", others, rest))
		} else {
			out = append(out, fmt.Sprintf("%d other factors (%+.2f)", others, rest))
		}
	}
	return append(out, baseline...)
}

// StageName is a stage as a reader of the brief's language says it.
func StageName(s valuegraph.Stage, zh bool) string { return named(stageNames, s, zh) }

// RoleName is a person's part in a purchase in the brief's language.
func RoleName(r valuegraph.DecisionRole, zh bool) string { return named(roleNames, r, zh) }

// named is k's name in Chinese or English from names, or k itself when it
// has none.
func named[K ~string](names map[K][2]string, k K, zh bool) string {
	n, ok := names[k]
	switch {
	case !ok:
		return string(k)
	case zh:
		return n[0]
	}
	return n[1]
}

var stageNames = map[valuegraph.Stage][2]string{
	valuegraph.StageDormant: {"休眠", "Dormant"}, valuegraph.StageExploring: {"探索", "Exploring"},
	valuegraph.StagePlanning: {"规划", "Planning"}, valuegraph.StageSelecting: {"选型", "Selecting"},
	valuegraph.StageAdopting: {"采用", "Adopting"}, valuegraph.StageExpanding: {"扩展", "Expanding"},
}

var roleNames = map[valuegraph.DecisionRole][2]string{
	valuegraph.RoleEconomicBuyer: {"经济决策人", "economic buyer"}, valuegraph.RoleTechnicalLead: {"技术负责人", "technical lead"},
	valuegraph.RoleUser: {"使用者", "user"}, valuegraph.RoleProcurement: {"采购", "procurement"}, valuegraph.RoleInfluencer: {"影响者", "influencer"},
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// stageCorrection is the rep's latest correction of the stage, standing or
// ended; nil when there is none.
func stageCorrection(a *valuegraph.Assessment) *valuegraph.Correction {
	for i := range a.Corrections {
		if a.Corrections[i].Score == "stage" {
			return &a.Corrections[i]
		}
	}
	return nil
}
