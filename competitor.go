package valuegraph

import "strings"

// Competitor is a vendor competing with us for customers.
type Competitor struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Aliases []string `json:"aliases,omitempty"` // 阿里云, Aliyun, Alibaba Cloud
	Website string   `json:"website,omitempty"`
}

// Validate returns an EINVALID error naming the first bad field.
func (c *Competitor) Validate() error {
	if strings.TrimSpace(c.ID) == "" {
		return FieldError("id", "required")
	} else if strings.TrimSpace(c.Name) == "" {
		return FieldError("name", "required")
	}
	return nil
}

// Product is a product, ours or another vendor's, that signals mention:
// 阿里云 (offered by the competitor Alibaba Cloud), 企业微信, our own PLM.
type Product struct {
	ID           string   `json:"id"`
	Name         string   `json:"name"`
	Aliases      []string `json:"aliases,omitempty"`
	Vendor       string   `json:"vendor,omitempty"`       // the vendor's name, competitor or not
	CompetitorID string   `json:"competitorId,omitempty"` // the competitor that offers it (OFFERS), if any
	Ours         bool     `json:"ours,omitempty"`
}

// Validate returns an EINVALID error naming the first bad field.
func (p *Product) Validate() error {
	if strings.TrimSpace(p.ID) == "" {
		return FieldError("id", "required")
	} else if strings.TrimSpace(p.Name) == "" {
		return FieldError("name", "required")
	} else if p.Ours && p.CompetitorID != "" {
		return FieldError("competitorId", "a product of ours is not offered by a competitor")
	}
	return nil
}

// Need is a pain point or requirement a customer has, such as 冷链时效 or
// 国产PLM替代.
type Need struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Category string   `json:"category,omitempty"`
	Aliases  []string `json:"aliases,omitempty"`
}

// Validate returns an EINVALID error naming the first bad field.
func (n *Need) Validate() error {
	if strings.TrimSpace(n.ID) == "" {
		return FieldError("id", "required")
	} else if strings.TrimSpace(n.Name) == "" {
		return FieldError("name", "required")
	}
	return nil
}

// NameHit is one result of a name search over customers, competitors and people.
type NameHit struct {
	Kind  string  `json:"kind"` // Customer, Competitor or Person
	ID    string  `json:"id"`
	Name  string  `json:"name"`
	Score float64 `json:"score"`
}

// Offering is what we can propose for a need: the minimum viable solution.
type Offering struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Description string   `json:"description,omitempty"`
	NeedIDs     []string `json:"needIds"` // the needs it addresses (ADDRESSES)
}

// Validate returns an EINVALID error naming the first bad field.
func (o *Offering) Validate() error {
	if strings.TrimSpace(o.ID) == "" {
		return FieldError("id", "required")
	} else if strings.TrimSpace(o.Name) == "" {
		return FieldError("name", "required")
	} else if len(o.NeedIDs) == 0 {
		return FieldError("needIds", "an offering addresses at least one need")
	}
	return nil
}
