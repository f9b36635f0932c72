package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

//go:embed locale/*.json
var localeFiles embed.FS

// languages are the console's languages, the default first.
var languages = []string{"hu", "en"}

// catalog is one language's strings by key.
type catalog struct {
	lang    string
	strings map[string]string
}

// loadCatalogs reads the embedded catalogs. Every language must have the
// keys of the default one: a missing string is a build mistake, caught by
// a test, not a blank on a page.
func loadCatalogs() (map[string]*catalog, error) {
	cats := map[string]*catalog{}
	for _, lang := range languages {
		b, err := localeFiles.ReadFile("locale/" + lang + ".json")
		if err != nil {
			return nil, err
		}
		c := &catalog{lang: lang}
		if err := json.Unmarshal(b, &c.strings); err != nil {
			return nil, fmt.Errorf("locale/%s.json: %w", lang, err)
		}
		cats[lang] = c
	}
	return cats, nil
}

// T gives the string for key, formatted with args. An unknown key shows
// as itself in brackets, so that a missing string is seen and fixed.
func (c *catalog) T(key string, args ...any) string {
	s, ok := c.strings[key]
	if !ok {
		return "[" + key + "]"
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// langCookie keeps a person's choice of language, also before they log in.
const langCookie = "okit_lang"

// language is the language of a request: the person's choice, else
// Hungarian.
func language(r *http.Request) string {
	if c, err := r.Cookie(langCookie); err == nil && slices.Contains(languages, c.Value) {
		return c.Value
	}
	return languages[0]
}

// categoryKey and the like name catalog entries for values stored in the
// database, so that pages never show a code to an operator.
func categoryKey(c string) string { return "category." + c }
func flagKey(f string) string     { return "flag." + f }
func eventKey(k string) string    { return "event." + k }

// hasKey reports whether the catalog has a string for key.
func (c *catalog) hasKey(key string) bool { _, ok := c.strings[key]; return ok }

// label gives the string for key, or the code itself for a value no
// catalog knows (a category a supervisor added to the rules, say).
func (c *catalog) label(key, code string) string {
	if c.hasKey(key) {
		return c.strings[key]
	}
	return strings.ReplaceAll(code, "_", " ")
}
