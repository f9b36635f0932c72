package web

import (
	"fmt"
	"strings"

	"github.com/ncsszi/okit/storage"
)

// said is an event in words: a sentence in the reader's language, and the
// cases it names, which the page links.
type said struct {
	Sentence string
	Cases    []string // references
}

// Text is the sentence with the cases it names, for the CSV export.
func (s said) Text() string { return strings.TrimSpace(s.Sentence + " " + strings.Join(s.Cases, " ")) }

// caseIDs are the ids of cases an event's data names: the cases whose
// summaries a list opened, the case a writer's message was related to.
func caseIDs(data map[string]any) []int64 {
	var ids []int64
	if cs, ok := data["cases"].([]any); ok {
		for _, c := range cs {
			if f, ok := c.(float64); ok {
				ids = append(ids, int64(f))
			}
		}
	}
	return ids
}

// say puts an event into a sentence in the reader's language: what was
// done, to what, by name. The kinds whose data says nothing more than
// their name (a case viewed) have no sentence.
func say(p *page, e storage.Event, refs map[int64]string, users map[int64]string) said {
	d := e.Data
	str := func(k string) string { s, _ := d[k].(string); return s }
	num := func(k string) int64 { f, _ := d[k].(float64); return int64(f) }
	user := func(k string) string {
		if id := num(k); id != 0 {
			if n, ok := users[id]; ok {
				return n
			}
		}
		return p.T("queue.nobody")
	}
	var s said
	switch e.Kind {
	case storage.EventSummaryOpened:
		for _, id := range caseIDs(d) {
			if ref, ok := refs[id]; ok {
				s.Cases = append(s.Cases, ref)
			}
		}
		s.Sentence = p.T("audit.say.summaries", len(caseIDs(d)), p.Label("audit.purpose."+str("purpose"), str("purpose")))
		if e.CaseID != 0 {
			s.Sentence = p.T("audit.say.summaries_case", p.Label("audit.purpose."+str("purpose"), str("purpose")))
		}
	case storage.EventSearched:
		s.Sentence = p.T("audit.say.searched", num("results"))
		if _, ok := d["query_sealed"]; !ok {
			s.Sentence = p.T("audit.say.searched_facts", num("results"))
		}
		var fs []string
		if v := str("category"); v != "" {
			fs = append(fs, p.Label(categoryKey(v), v))
		}
		if v := str("status"); v != "" {
			fs = append(fs, p.T("status."+v))
		}
		if v := num("priority"); v != 0 {
			fs = append(fs, fmt.Sprintf("P%d", v))
		}
		if v := str("operator"); v != "" {
			fs = append(fs, v)
		}
		if v, w := str("from"), str("to"); v != "" || w != "" {
			fs = append(fs, v+"–"+w)
		}
		if len(fs) > 0 {
			s.Sentence += " " + p.T("audit.say.filters", strings.Join(fs, ", "))
		}
	case storage.EventAssigned:
		s.Sentence = p.T("audit.say.assigned", user("to"))
	case storage.EventPriorityChanged:
		if num("from") != 0 {
			s.Sentence = p.T("audit.say.priority", num("from"), num("to"))
		} else {
			s.Sentence = p.T("audit.say.priority_set", num("to"))
		}
	case storage.EventReplyQueued:
		s.Sentence = p.T("audit.say.reply_queued", p.Label("outgoing."+str("kind"), str("kind")))
		if strings.HasSuffix(str("template"), "_informal") {
			s.Sentence += " " + p.T("audit.say.informal")
		}
	case storage.EventReplySuppressed, storage.EventSendFailed:
		if r := str("reason"); r != "" {
			s.Sentence = p.Label("unsent."+r, r)
		}
	case storage.EventCaseMerged:
		s.Cases = []string{str("from_ref"), str("into_ref")}
		s.Sentence = p.T("audit.say.merged")
	case storage.EventCaseSplit:
		s.Cases = []string{str("from_ref"), str("to_ref")}
		s.Sentence = p.T("audit.say.split")
	case storage.EventPossiblyRelated:
		s.Cases = []string{str("ref")}
		s.Sentence = p.T("audit.say.related")
	case storage.EventCaseClosed, storage.EventCaseReopened, storage.EventCaseOpened:
		if r := str("reason"); r != "" {
			s.Sentence = p.Label("audit.why."+r, r)
		}
		if o := str("outcome"); o != "" {
			s.Sentence = p.Label("outcome."+o, o)
		}
	case storage.EventLogin:
		s.Sentence = p.T("audit.say.login", str("user"))
	case storage.EventLoginFailed:
		s.Sentence = p.T("audit.say.login_failed_unknown")
		if u := str("user"); u != "" {
			s.Sentence = p.T("audit.say.login_failed", u)
		}
	case storage.EventUserAdded, storage.EventUserChanged:
		s.Sentence = p.T("audit.say.user", str("user"), p.Label("role."+str("role"), str("role")))
	case storage.EventUserDisabled, storage.EventUserEnabled, storage.EventPasswordSet, storage.EventTOTPEnrolled, storage.EventTOTPReset:
		s.Sentence = p.T("audit.say.user_only", str("user"))
	case storage.EventShelterUpdate:
		s.Sentence = shelterSentence(p, d)
	case storage.EventSavedAnswer:
		s.Sentence = p.T("audit.say.saved_"+str("what"), num("saved_answer"))
	case storage.EventExport:
		s.Sentence = p.Label("audit.export."+str("what"), str("what"))
	case storage.EventResealed:
		s.Sentence = p.T("audit.say.resealed", str("table"), str("first"), str("last"), num("changed"), num("rows"))
	case storage.EventPurged:
		s.Sentence = p.T("audit.say.purged", num("messages"), num("notes"))
	case storage.EventClockBreached:
		s.Sentence = p.T("audit.say.breached", num("priority"))
	case storage.EventAttachmentDownloaded:
		s.Sentence = p.T("audit.say.attachment", num("attachment")+1)
	}
	return s
}

// shelterSentence says what changed of a crisis home.
func shelterSentence(p *page, d map[string]any) string {
	home := d["shelter"]
	switch d["what"] {
	case "free_places":
		return p.T("audit.shelter_places", home, d["from"], d["to"])
	case "active":
		if d["to"] == true {
			return p.T("audit.shelter_offered", home)
		}
		return p.T("audit.shelter_withdrawn", home)
	}
	return ""
}
