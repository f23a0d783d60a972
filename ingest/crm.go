package ingest

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/valuegraph/valuegraph"
)

// The column layouts of our systems of record (trust L1), after common CRM
// exports; docs/INGEST.md documents them. Headers are matched without regard
// to case; columns not listed are ignored.
var crmLayouts = map[string]struct {
	required []string
	optional []string
}{
	"crm-accounts": {[]string{"account_id", "name"}, []string{"uscc", "industry", "region", "size", "owner_id", "aliases"}},
	"crm-contacts": {[]string{"contact_id", "account_id", "name"}, []string{"title", "decision_role", "email", "phone", "reports_to", "since", "until"}},
	"orders":       {[]string{"order_id", "account_id", "order_date"}, []string{"amount", "currency", "product", "quantity", "status"}},
	"tickets":      {[]string{"ticket_id", "account_id", "opened_at"}, []string{"subject", "severity", "status", "closed_at", "contact_id"}},
	"activities":   {[]string{"activity_id", "account_id", "activity_date"}, []string{"type", "direction", "subject", "outcome", "contact_id", "rep_id"}},
	"opportunities": {[]string{"opportunity_id", "account_id", "name", "stage"},
		[]string{"amount", "currency", "probability", "created_at", "updated_at", "close_date", "competitor", "owner_id"}},
}

// pipelineStages maps the stage names CRMs use (Salesforce, Dynamics,
// 纷享销客, 销售易…) to ours.
var pipelineStages = map[string]string{
	"prospecting": valuegraph.DealProspecting, "lead": valuegraph.DealProspecting, "初步接洽": valuegraph.DealProspecting, "线索": valuegraph.DealProspecting, "初步沟通": valuegraph.DealProspecting,
	"qualification": valuegraph.DealQualified, "needs analysis": valuegraph.DealQualified, "qualify": valuegraph.DealQualified, "develop": valuegraph.DealQualified,
	"需求确认": valuegraph.DealQualified, "需求分析": valuegraph.DealQualified, "立项": valuegraph.DealQualified,
	"proposal": valuegraph.DealProposal, "proposal/price quote": valuegraph.DealProposal, "value proposition": valuegraph.DealProposal, "propose": valuegraph.DealProposal,
	"方案报价": valuegraph.DealProposal, "方案": valuegraph.DealProposal, "报价": valuegraph.DealProposal, "投标": valuegraph.DealProposal,
	"negotiation": valuegraph.DealNegotiation, "negotiation/review": valuegraph.DealNegotiation, "close": valuegraph.DealNegotiation,
	"谈判": valuegraph.DealNegotiation, "商务谈判": valuegraph.DealNegotiation, "合同审批": valuegraph.DealNegotiation,
	"closed won": valuegraph.DealWon, "won": valuegraph.DealWon, "赢单": valuegraph.DealWon, "成交": valuegraph.DealWon, "签约": valuegraph.DealWon,
	"closed lost": valuegraph.DealLost, "lost": valuegraph.DealLost, "输单": valuegraph.DealLost, "丢单": valuegraph.DealLost, "失败": valuegraph.DealLost,
}

// outcomes maps what CRMs write about a contact's outcome to whether the
// customer answered.
var outcomes = map[string]bool{
	"answered": true, "replied": true, "connected": true, "held": true, "completed": true, "meeting held": true, "reached": true,
	"已回复": true, "已接通": true, "已沟通": true, "已完成": true, "完成": true, "已拜访": true,
	"no answer": false, "no_answer": false, "no reply": false, "no_reply": false, "no response": false, "unanswered": false,
	"voicemail": false, "bounced": false, "not reached": false, "busy": false,
	"未接通": false, "未接": false, "未回复": false, "无人接听": false, "无回应": false, "已读未回": false, "拒接": false,
}

// CRM reads exports from our own systems: accounts, contacts, ERP orders and
// service tickets. Accounts resolve like any organisation (a CRM id, a USCC
// or a name may find a customer first seen in a tender); contacts, orders
// and tickets must name an account that is already known.
type CRM struct {
	Kind     string // crm-accounts, crm-contacts, orders, tickets, activities or opportunities
	Source   string // default "crm" for accounts and contacts, "erp" for orders, "tickets" for tickets
	Location *time.Location
}

// Kinds lists the kinds CRM reads.
func (CRM) Kinds() []string {
	return []string{"crm-accounts", "crm-contacts", "orders", "tickets", "activities", "opportunities"}
}

// Parse reads one file; see Parser.
func (c CRM) Parse(ctx context.Context, r io.Reader, file string, emit func(Item) error, reject func(error)) error {
	layout, ok := crmLayouts[c.Kind]
	if !ok {
		return fmt.Errorf("crm: unknown kind %q (want one of %s)", c.Kind, strings.Join(CRM{}.Kinds(), ", "))
	}
	tbl, err := openTable(r, file, layout.required)
	if err != nil {
		return err
	}
	return tbl.each(ctx, reject, func(row row) error {
		var missing []string
		for _, col := range layout.required {
			if NullValue(row.Get(col)) {
				missing = append(missing, col)
			}
		}
		if len(missing) > 0 {
			reject(row.Err(strings.Join(missing, ", "), "required"))
			return nil
		}
		it, problems := c.item(row)
		if it == nil {
			for _, p := range problems {
				reject(p)
			}
			return nil
		}
		it.Problems = append(it.Problems, asProblems(problems)...)
		{
			if err := emit(*it); err != nil {
				return err
			}
		}
		return nil
	})
}

func (c CRM) source() string {
	switch {
	case c.Source != "":
		return c.Source
	case c.Kind == "orders":
		return "erp"
	case c.Kind == "tickets":
		return "tickets"
	}
	return "crm"
}

// account is the mention of a CRM account by its id: it must exist.
func (c CRM) account(id string) Mention {
	return Mention{Identifiers: []valuegraph.Identifier{{Scheme: valuegraph.SchemeCRM, Value: id}}, Source: c.source(), Existing: true}
}

// ContactID is the person id of a CRM contact.
func ContactID(contactID string) string { return "crm:contact:" + contactID }

// decisionRoles maps the words CRMs use to our roles.
var decisionRoles = map[string]valuegraph.DecisionRole{
	"economic_buyer": valuegraph.RoleEconomicBuyer, "economic buyer": valuegraph.RoleEconomicBuyer, "decision maker": valuegraph.RoleEconomicBuyer,
	"决策者": valuegraph.RoleEconomicBuyer, "决策人": valuegraph.RoleEconomicBuyer,
	"technical_lead": valuegraph.RoleTechnicalLead, "technical lead": valuegraph.RoleTechnicalLead, "技术负责人": valuegraph.RoleTechnicalLead,
	"user": valuegraph.RoleUser, "end user": valuegraph.RoleUser, "使用者": valuegraph.RoleUser, "用户": valuegraph.RoleUser,
	"procurement": valuegraph.RoleProcurement, "purchasing": valuegraph.RoleProcurement, "采购": valuegraph.RoleProcurement,
	"influencer": valuegraph.RoleInfluencer, "影响者": valuegraph.RoleInfluencer,
}

func (c CRM) item(r row) (*Item, []error) {
	var problems []error
	pos := Position{File: r.t.file, Line: r.Line}
	date := func(col string, required bool) time.Time {
		v := r.Get(col)
		if NullValue(v) {
			return time.Time{}
		}
		t, err := Date(v, c.Location)
		if err != nil {
			problems = append(problems, r.Err(col, "%s", valuegraph.ErrorMessage(err)))
		}
		return t
	}
	switch c.Kind {
	case "crm-accounts":
		m := Mention{Name: r.Get("name"), Source: c.source(),
			Identifiers: []valuegraph.Identifier{{Scheme: valuegraph.SchemeCRM, Value: r.Get("account_id")}}}
		if v := r.Get("uscc"); !NullValue(v) {
			code, err := USCC(v)
			if err != nil {
				problems = append(problems, r.Err("uscc", "%s", valuegraph.ErrorMessage(err)))
			} else {
				m.Identifiers = append(m.Identifiers, valuegraph.Identifier{Scheme: valuegraph.SchemeUSCC, Value: code})
			}
		}
		org := &OrgRecord{Mention: m, Industry: r.Get("industry"), Region: r.Get("region"), Size: r.Get("size"), OwnerID: r.Get("owner_id")}
		for _, a := range strings.FieldsFunc(r.Get("aliases"), func(r rune) bool { return r == ';' || r == '；' || r == '|' }) {
			if a = Fold(a); a != "" {
				org.Aliases = append(org.Aliases, a)
			}
		}
		return &Item{Pos: pos, Org: org}, problems
	case "crm-contacts":
		p := valuegraph.Person{ID: ContactID(r.Get("contact_id")), Name: PersonName(r.Get("name")), Title: Fold(r.Get("title")),
			Email: r.Get("email"), Phone: r.Get("phone"), Since: date("since", false), Until: date("until", false)}
		if v := strings.ToLower(Fold(r.Get("decision_role"))); !NullValue(v) {
			if role, ok := decisionRoles[v]; ok {
				p.Role = role
			} else {
				problems = append(problems, r.Err("decision_role", "unknown role %q (economic_buyer, technical_lead, user, procurement, influencer)", v))
			}
		}
		if v := r.Get("reports_to"); !NullValue(v) {
			p.ReportsTo = ContactID(v)
		}
		if p.Email != "" && !strings.Contains(p.Email, "@") {
			problems = append(problems, r.Err("email", "%q is not an e-mail address", p.Email))
			p.Email = ""
		}
		if err := p.Validate(); err != nil {
			return nil, append(problems, r.Err("", "%s", valuegraph.ErrorMessage(err)))
		}
		it := &Item{Pos: pos, Person: &PersonRecord{Person: p, Employer: c.account(r.Get("account_id"))}}
		it.Signal, it.About = keyPersonChange(p, c.source()), []Mention{c.account(r.Get("account_id"))}
		if it.Signal == nil {
			it.About = nil
		}
		return it, problems
	case "orders":
		when := date("order_date", true)
		if when.IsZero() {
			return nil, problems
		}
		sig := &valuegraph.Signal{ID: "erp:order:" + r.Get("order_id"), Kind: valuegraph.SignalERPOrder, Source: c.source(),
			Trust: valuegraph.TrustL1, OccurredAt: when}
		title := "Order " + r.Get("order_id")
		if v := Fold(r.Get("product")); v != "" {
			title += ": " + v
		}
		if q, ok, err := Number(r.Get("quantity")); err != nil {
			problems = append(problems, r.Err("quantity", "%s", valuegraph.ErrorMessage(err)))
		} else if ok {
			title += fmt.Sprintf(" × %g", q)
		}
		sig.Title = title
		if v := r.Get("status"); v != "" {
			sig.Text = "status: " + v
		}
		if v := r.Get("amount"); !NullValue(v) {
			cur := strings.ToUpper(r.Get("currency"))
			if cur == "" {
				cur = "CNY"
			}
			if m, err := ParseMoney(v, cur); err != nil {
				problems = append(problems, r.Err("amount", "%s", valuegraph.ErrorMessage(err)))
			} else {
				sig.Amount, sig.Currency = m.Amount, m.Currency
			}
		}
		return &Item{Pos: pos, Signal: sig, About: []Mention{c.account(r.Get("account_id"))}}, problems
	case "tickets":
		when := date("opened_at", true)
		if when.IsZero() {
			return nil, problems
		}
		sig := &valuegraph.Signal{ID: "tickets:" + r.Get("ticket_id"), Kind: valuegraph.SignalServiceTicket, Source: c.source(),
			Trust: valuegraph.TrustL1, OccurredAt: when, Title: Fold(firstNonEmpty(r.Get("subject"), "Ticket "+r.Get("ticket_id")))}
		var text []string
		for _, col := range []string{"severity", "status", "closed_at"} {
			if v := r.Get(col); !NullValue(v) {
				text = append(text, col+": "+v)
			}
		}
		if !NullValue(r.Get("closed_at")) {
			date("closed_at", false) // reported when unreadable
		}
		sig.Text = strings.Join(text, "; ")
		return &Item{Pos: pos, Signal: sig, About: []Mention{c.account(r.Get("account_id"))}}, problems
	case "activities":
		when := date("activity_date", true)
		if when.IsZero() {
			return nil, problems
		}
		kind := strings.ToLower(Fold(r.Get("type")))
		sig := &valuegraph.Signal{ID: "crm:activity:" + r.Get("activity_id"), Kind: valuegraph.SignalOutreach, Source: c.source(),
			Trust: valuegraph.TrustL1, OccurredAt: when, Title: Fold(firstNonEmpty(r.Get("subject"), strings.TrimSpace(kind+" "+r.Get("activity_id"))))}
		switch dir := strings.ToLower(Fold(r.Get("direction"))); dir {
		case "inbound", "in", "来电", "客户来访", "呼入":
			sig.Intents = []string{valuegraph.IntentAnswered} // the customer reached out
		case "", "outbound", "out", "去电", "拜访", "呼出":
			if v := strings.ToLower(Fold(r.Get("outcome"))); !NullValue(v) {
				answered, ok := outcomes[v]
				switch {
				case !ok:
					problems = append(problems, r.Err("outcome", "unknown outcome %q (answered, replied, no answer, no reply, voicemail, 已回复, 未接通, 未回复, …)", v))
				case answered:
					sig.Intents = []string{valuegraph.IntentAnswered}
				default:
					sig.Intents = []string{valuegraph.IntentUnanswered}
				}
			}
		default:
			problems = append(problems, r.Err("direction", "unknown direction %q (inbound or outbound)", dir))
		}
		var text []string
		for _, col := range []string{"type", "direction", "outcome"} {
			if v := r.Get(col); !NullValue(v) {
				text = append(text, col+": "+v)
			}
		}
		sig.Text = strings.Join(text, "; ")
		if v := r.Get("contact_id"); !NullValue(v) {
			sig.PersonIDs = []string{ContactID(v)}
		}
		if v := r.Get("rep_id"); !NullValue(v) {
			sig.RepID = v
		}
		return &Item{Pos: pos, Signal: sig, About: []Mention{c.account(r.Get("account_id"))}}, problems
	case "opportunities":
		stage, ok := pipelineStages[strings.ToLower(Fold(r.Get("stage")))]
		if !ok {
			return nil, append(problems, r.Err("stage", "unknown pipeline stage %q (prospecting, qualification, proposal, negotiation, closed won, closed lost, 初步接洽, 需求确认, 方案报价, 谈判, 赢单, 输单, …)", r.Get("stage")))
		}
		// A deal is dated by its last change, else its opening; a closed one
		// by its close.
		when := date("updated_at", false)
		if stage == valuegraph.DealWon || stage == valuegraph.DealLost || when.IsZero() {
			when = firstTime(date("close_date", false), when, date("created_at", false))
		}
		if when.IsZero() {
			return nil, append(problems, r.Err("updated_at", "an opportunity needs a date: updated_at, close_date or created_at"))
		}
		sig := &valuegraph.Signal{ID: "crm:opportunity:" + r.Get("opportunity_id"), Kind: valuegraph.SignalOpportunity, Source: c.source(),
			Trust: valuegraph.TrustL1, OccurredAt: when, Title: Fold(r.Get("name")), Intents: []string{stage}}
		var text []string
		for _, col := range []string{"stage", "probability", "close_date", "competitor", "owner_id"} {
			if v := r.Get(col); !NullValue(v) {
				text = append(text, col+": "+v)
			}
		}
		sig.Text = strings.Join(text, "; ")
		if v := r.Get("amount"); !NullValue(v) {
			if m, err := ParseMoney(v, strings.ToUpper(firstNonEmpty(r.Get("currency"), "CNY"))); err != nil {
				problems = append(problems, r.Err("amount", "%s", valuegraph.ErrorMessage(err)))
			} else {
				sig.Amount, sig.Currency = m.Amount, m.Currency
			}
		}
		return &Item{Pos: pos, Signal: sig, About: []Mention{c.account(r.Get("account_id"))}}, problems
	}
	return nil, nil
}

// keyPersonChange is the exec_change signal of a decision-maker (economic
// buyer or technical lead) who left or joined, as the CRM dates it: scoring
// counts decision-maker changes. Nil for anyone else, or without a date.
func keyPersonChange(p valuegraph.Person, source string) *valuegraph.Signal {
	if p.Role != valuegraph.RoleEconomicBuyer && p.Role != valuegraph.RoleTechnicalLead {
		return nil
	}
	who := p.Name
	if p.Title != "" {
		who += "（" + p.Title + "）"
	}
	sig := &valuegraph.Signal{Kind: valuegraph.SignalExecChange, Source: source, Trust: valuegraph.TrustL1, PersonIDs: []string{p.ID}}
	switch {
	case !p.Until.IsZero():
		sig.ID, sig.Title, sig.OccurredAt = p.ID+":left", "离任 / left: "+who, p.Until
	case !p.Since.IsZero():
		sig.ID, sig.Title, sig.OccurredAt = p.ID+":joined", "到任 / joined: "+who, p.Since
	default:
		return nil
	}
	return sig
}

// firstTime is the first of ts that is set.
func firstTime(ts ...time.Time) time.Time {
	for _, t := range ts {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}
