package replies

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"text/template"
	"time"

	"github.com/ncsszi/okit/triage"
)

// The templates okit ships. Each exists at least in Hungarian.
const (
	TemplateAck         = "ack"         // the automatic acknowledgement
	TemplateCrisisHome  = "crisis_home" // an operator sends a crisis home's phone number
	TemplateInformation = "information" // general information about the service
	TemplateReminder    = "reminder"    // to the operator: no answer after a crisis-home contact
)

// DefaultLanguage is the language a template falls back to: the
// service's own.
const DefaultLanguage = "hu"

// ToWriter reports whether the template is a mail to a writer, and so is
// held to the discretion rules. Only the reminder is not: it tells an
// operator that a writer has not answered, and is never mailed to them.
// A template an administrator adds counts as mail to a writer.
func ToWriter(name string) bool { return name != TemplateReminder }

// Data is what templates are rendered with. Nothing in it is an address:
// crisis homes are secret, and a template has no way to print where one is.
type Data struct {
	// Name is how the writer is greeted ("Anna"); empty for the neutral
	// "Kedves Levélíró!". A name that would reveal what the mail is about
	// (a writer may sign as "bántalmazott nő") is left out.
	Name string
	// Subject is the subject of the writer's message; templates answer
	// with "Re: " and it, or a neutral subject when it would reveal.
	Subject string
	// Operator is the first name the answering operator signs with;
	// empty for none.
	Operator string
	// Text is the operator's own words, placed after the opening so that
	// a preview of the reply never shows them.
	Text string
	// HomePhone and HomeLabel are a crisis home's intake phone number and
	// whom to ask for there (a first name or a neutral label). Never the
	// home's name or address.
	HomePhone string
	HomeLabel string
	// CaseRef and Sent are for the operator's reminder: the case, and when
	// the crisis-home contact was sent.
	CaseRef string
	Sent    time.Time
}

// Templates are the parsed reply templates, by name and language. They
// do not change after LoadTemplates and are safe for concurrent use.
type Templates struct {
	byName map[string]map[string]*template.Template // name → language → template
	rules  *triage.Rules                            // what a writer's subject must not show to be echoed
}

//go:embed templates/*.tmpl
var embedded embed.FS

// fileName is how a template file is named: NAME.LANG.tmpl.
var fileName = regexp.MustCompile(`^([a-z][a-z0-9_]*)\.([a-z]{2,3})\.tmpl$`)

// LoadTemplates parses the built-in templates and, when dir is not empty,
// the *.tmpl files in dir (OKIT_TEMPLATES_DIR), which replace built-in
// ones of the same file name or add new ones. Files are named NAME.LANG.tmpl
// (ack.hu.tmpl); each is a text/template whose {{define "subject"}} block is
// the subject and whose remaining text is the body.
//
// Every template is rendered once with sample data here, so a broken
// override is an error at start naming its file and line, not a failed
// reply later; a template to a writer whose subject or opening lines would
// reveal what it is about is refused the same way.
//
// rules are the triage rules okit runs with (OKIT_RULES_FILE or the
// built-in ones): a writer's subject in which they find anything is never
// echoed in a reply's subject.
func LoadTemplates(dir string, rules *triage.Rules) (*Templates, error) {
	sources := map[string][]byte{} // file name → text
	origin := map[string]string{}  // file name → path for errors
	builtin, err := fs.Glob(embedded, "templates/*.tmpl")
	if err != nil {
		return nil, fmt.Errorf("list built-in templates: %w", err)
	}
	for _, p := range builtin {
		b, err := embedded.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("read built-in template %s: %w", p, err)
		}
		sources[filepath.Base(p)], origin[filepath.Base(p)] = b, "built-in "+p
	}
	if dir != "" {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil, fmt.Errorf("templates directory: %w", err)
		}
		for _, e := range entries {
			if e.IsDir() || !strings.HasSuffix(e.Name(), ".tmpl") {
				continue // a README or an editor's backup is not a template
			}
			p := filepath.Join(dir, e.Name())
			if !fileName.MatchString(e.Name()) {
				return nil, fmt.Errorf("%s: name template files NAME.LANG.tmpl, as in ack.hu.tmpl", p)
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return nil, fmt.Errorf("read template: %w", err)
			}
			sources[e.Name()], origin[e.Name()] = b, p
		}
	}

	t := &Templates{byName: map[string]map[string]*template.Template{}, rules: rules}
	for _, file := range slices.Sorted(maps.Keys(sources)) {
		m := fileName.FindStringSubmatch(file)
		if m == nil {
			return nil, fmt.Errorf("%s: name template files NAME.LANG.tmpl", origin[file])
		}
		tmpl, err := template.New(file).Funcs(t.funcs()).Parse(string(sources[file]))
		if err != nil {
			// The error names the file and line: "template: ack.hu.tmpl:3: ...".
			return nil, fmt.Errorf("%s: %w", origin[file], err)
		}
		if tmpl.Lookup("subject") == nil {
			return nil, fmt.Errorf(`%s: no {{define "subject"}}...{{end}} block`, origin[file])
		}
		if t.byName[m[1]] == nil {
			t.byName[m[1]] = map[string]*template.Template{}
		}
		t.byName[m[1]][m[2]] = tmpl
	}
	for _, name := range t.Names() {
		if t.byName[name][DefaultLanguage] == nil {
			file := name + "." + t.Languages(name)[0] + ".tmpl"
			return nil, fmt.Errorf("%s: template %s has no Hungarian version %s.%s.tmpl to fall back to", origin[file], name, name, DefaultLanguage)
		}
		for _, lang := range t.Languages(name) {
			file := name + "." + lang + ".tmpl"
			if _, _, err := t.render(name, t.byName[name][lang], sample); err != nil {
				return nil, fmt.Errorf("%s: %w", origin[file], err)
			}
		}
	}
	return t, nil
}

// sample fills every field, and puts revealing words where a writer or an
// operator might, to prove at load time that templates keep them out of
// the subject and the opening lines.
var sample = Data{
	Name:      "Anna",
	Subject:   "bántalmaz a férjem",
	Operator:  "Kata",
	Text:      "A krízisotthonról telefonon többet is elmondanak.",
	HomePhone: "+36 1 234 5678",
	HomeLabel: "Éva",
	CaseRef:   "OKIT-2026-000001",
	Sent:      time.Date(2026, 3, 14, 18, 5, 0, 0, time.UTC),
}

// Names lists the templates, sorted.
func (t *Templates) Names() []string { return slices.Sorted(maps.Keys(t.byName)) }

// Languages lists the languages template name exists in, sorted.
func (t *Templates) Languages(name string) []string { return slices.Sorted(maps.Keys(t.byName[name])) }

// ErrUnknownTemplate is returned by Render for a name no file defines.
var ErrUnknownTemplate = errors.New("no such reply template")

// ErrRevealing is returned when a reply's subject, opening lines or sender
// name would reveal what it is about.
var ErrRevealing = errors.New("would reveal what the reply is about")

// Render renders template name in language lang ("hu", "en", "uk",
// "ru", as the template exists in). A language the template lacks falls
// back to Hungarian; for the automatic acknowledgement, which no person
// words for the writer, a language known but not written ("other",
// "de", …) gets the Hungarian text with the English one below it. The
// subject is the template's {{define "subject"}} block on one line (the
// Hungarian one); the body has LF line ends, one blank line between
// paragraphs, one paragraph per line (mail programs wrap them), and ends
// in a newline.
func (t *Templates) Render(name, lang string, data Data) (subject, body string, err error) {
	byLang := t.byName[name]
	if byLang == nil {
		return "", "", fmt.Errorf("render %q: %w", name, ErrUnknownTemplate)
	}
	if tmpl := byLang[lang]; tmpl != nil {
		return t.render(name, tmpl, data)
	}
	subject, body, err = t.render(name, byLang[DefaultLanguage], data)
	if err != nil || name != TemplateAck || lang == "" || byLang["en"] == nil {
		return subject, body, err
	}
	_, en, err := t.render(name, byLang["en"], data)
	if err != nil {
		return "", "", err
	}
	return subject, body + "\n" + englishBelow + "\n\n" + en, nil
}

// englishBelow separates the Hungarian acknowledgement from the English
// one under it.
const englishBelow = "* * *"

func (t *Templates) render(name string, tmpl *template.Template, data Data) (subject, body string, err error) {
	data.Name = strings.Join(strings.Fields(data.Name), " ")
	if Revealing(data.Name) != "" {
		data.Name = ""
	}
	var b bytes.Buffer
	if err := tmpl.ExecuteTemplate(&b, "subject", data); err != nil {
		return "", "", fmt.Errorf("render %s subject: %w", tmpl.Name(), err)
	}
	subject = strings.Join(strings.Fields(b.String()), " ")
	if subject == "" {
		return "", "", fmt.Errorf("render %s: the subject is empty", tmpl.Name())
	}
	b.Reset()
	if err := tmpl.Execute(&b, data); err != nil {
		return "", "", fmt.Errorf("render %s: %w", tmpl.Name(), err)
	}
	body = tidy(b.String())
	if ToWriter(name) {
		if w := Revealing(subject); w != "" {
			return "", "", fmt.Errorf("render %s: subject %w (%q)", tmpl.Name(), ErrRevealing, w)
		}
		if w := Revealing(Opening(body)); w != "" {
			return "", "", fmt.Errorf("render %s: opening lines %w (%q)", tmpl.Name(), ErrRevealing, w)
		}
	}
	return subject, body, nil
}

// openingLines is how many non-empty lines of a body count as its
// opening: what a notification or a mailbox list previews (the greeting
// and the first sentence or two).
const openingLines = 2

// Opening returns the first non-empty lines of body, joined by a space:
// the part of a reply a preview shows.
func Opening(body string) string {
	var lines []string
	for line := range strings.Lines(body) {
		if line = strings.TrimSpace(line); line != "" {
			lines = append(lines, line)
			if len(lines) == openingLines {
				break
			}
		}
	}
	return strings.Join(lines, " ")
}

// tidy makes a rendered body regular whatever the template's {{if}}s
// left: LF line ends, no trailing spaces, at most one blank line in a
// row, none at either end, a final newline.
func tidy(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	blank := false
	for line := range strings.Lines(s) {
		line = strings.TrimRight(line, " \t\r\n")
		if line == "" {
			blank = b.Len() > 0
			continue
		}
		if blank {
			b.WriteByte('\n')
			blank = false
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return b.String()
}

// funcs are the functions templates may call.
func (t *Templates) funcs() template.FuncMap {
	return template.FuncMap{
		// reply gives "Re: " and the writer's subject, or neutral when it
		// is empty or would reveal what the mail is about.
		"reply": func(subject, neutral string) string { return replySubject(t.rules, subject, neutral) },
		// need stops rendering when a field the template cannot do
		// without is empty: a crisis-home contact without a phone number
		// must fail, not go out.
		"need": func(field, v string) (string, error) {
			if strings.TrimSpace(v) == "" {
				return "", fmt.Errorf("%s is empty", field)
			}
			return v, nil
		},
	}
}
