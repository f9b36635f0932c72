package replies

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ncsszi/okit/triage"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func loadBuiltin(t *testing.T) *Templates {
	t.Helper()
	ts, err := LoadTemplates("", triage.Default())
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

// facts are what each kind of mail must tell a writer, by language. Every
// mail to a writer carries "common"; placement facts go with the
// templates that offer a crisis home.
var facts = map[string]map[string][]string{
	"hu": {
		"common": {
			"80/20-55-20", "Éjjel-nappal, ingyenesen", "vezetékes és mobiltelefonról",
			"112",
			"erre a levélre",        // writing back is answered: email is for those who cannot call
			"törölje ezt a levelet", // if others may read the mailbox
		},
		"placement": {
			"ingyenes", "4 hétre", "legfeljebb további 4 héttel",
			"Az odautazásról Önnek kell gondoskodnia",
			"nincs saját telefonja", "a családsegítő vagy a gyermekjóléti szolgálat",
		},
	},
	"uk": {
		"common": {
			"80/20-55-20", "безкоштовно, цілодобово", "зі стаціонарного та мобільного",
			"112",
			"дайте відповідь на цей лист", // writing back is answered
			"видаліть цей лист",
		},
	},
	"ru": {
		"common": {
			"80/20-55-20", "бесплатно, круглосуточно", "со стационарного и мобильного",
			"112",
			"ответьте на это письмо",
			"удалите это письмо",
		},
	},
	"en": {
		"common": {
			"80/20-55-20", "free of charge, day and night", "from landlines and mobiles",
			"112",
			"reply to this email",
			"delete this message",
		},
		"placement": {
			"The stay is free of charge", "for 4 weeks", "at most 4 more weeks",
			"journey there on your own",
			"no phone of your own", "the family-support or child-welfare service",
		},
	},
}

var placement = map[string]bool{TemplateCrisisHome: true, TemplateInformation: true}

// TestRenderEveryTemplate renders every template in every language, with
// full and with empty data, and checks OKIT's facts, the discretion rules
// and the delete-this-message line.
func TestRenderEveryTemplate(t *testing.T) {
	t.Parallel()
	ts := loadBuiltin(t)
	empty := Data{HomePhone: "+36 30 111 2222", CaseRef: "OKIT-2026-000002"} // what the templates cannot do without
	for _, name := range ts.Names() {
		want := []string{"en", "hu"}
		if name == TemplateAck || name == TemplateInformation || name == FrameName(TemplateInformation, VoiceInformal) {
			want = []string{"en", "hu", "ru", "uk"} // Hungary's refugees since 2022 write in Ukrainian and Russian
		}
		if got := ts.Languages(name); !cmp.Equal(got, want) {
			t.Errorf("%s exists in %v, want %v", name, got, want)
		}
		for _, lang := range append(ts.Languages(name), "other") {
			for dname, data := range map[string]Data{"sample": sample, "empty": empty} {
				t.Run(name+"."+lang+"/"+dname, func(t *testing.T) {
					t.Parallel()
					subject, body, err := ts.Render(name, lang, data)
					if err != nil {
						t.Fatal(err)
					}
					if !strings.HasSuffix(body, "\n") || strings.Contains(body, "\n\n\n") || strings.Contains(body, "{{") {
						t.Errorf("body is not tidy:\n%s", body)
					}
					if !ToWriter(name) {
						if !strings.Contains(subject, data.CaseRef) || !strings.Contains(body, data.CaseRef) {
							t.Errorf("reminder does not name the case %s:\n%s\n\n%s", data.CaseRef, subject, body)
						}
						return
					}
					if w := Revealing(subject); w != "" {
						t.Errorf("subject %q reveals %q", subject, w)
					}
					if w := Revealing(Opening(body)); w != "" {
						t.Errorf("opening %q reveals %q", Opening(body), w)
					}
					fl := lang
					if fl == "other" {
						fl = "hu"
					}
					want := []string{"80/20-55-20", "112"}
					informal := strings.HasSuffix(name, "_"+string(VoiceInformal))
					if !informal {
						want = append(want, facts[fl]["common"]...)
					}
					if lang == "other" && name == TemplateAck {
						want = append(want, facts["en"]["common"]...) // Hungarian with English below
					}
					if placement[name] {
						want = append(want, facts[fl]["placement"]...)
					}
					if name == TemplateCrisisHome {
						want = append(want, data.HomePhone)
					}
					for _, f := range want {
						if !strings.Contains(strings.ToLower(body), strings.ToLower(f)) {
							t.Errorf("body lacks %q:\n%s", f, body)
						}
					}
					if name != TemplateCrisisHome && strings.Contains(body, sample.HomePhone) {
						t.Errorf("a crisis home's phone in %s", name)
					}
				})
			}
		}
	}
}

// TestRenderGolden keeps each built-in template, rendered with the sample
// data, in testdata/render: the texts writers get, for review.
func TestRenderGolden(t *testing.T) {
	t.Parallel()
	ts := loadBuiltin(t)
	for _, name := range ts.Names() {
		for _, lang := range ts.Languages(name) {
			t.Run(name+"."+lang, func(t *testing.T) {
				t.Parallel()
				subject, body, err := ts.Render(name, lang, sample)
				if err != nil {
					t.Fatal(err)
				}
				got := "Subject: " + subject + "\n\n" + body
				golden := filepath.Join("testdata", "render", name+"."+lang+".txt")
				if *update {
					if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test -run TestRenderGolden -update)", err)
				}
				if diff := cmp.Diff(string(want), got); diff != "" {
					t.Errorf("%s mismatch (-want +got):\n%s", golden, diff)
				}
			})
		}
	}
}

func TestRenderChoices(t *testing.T) {
	t.Parallel()
	ts := loadBuiltin(t)
	hu := func(d Data) (string, string) {
		s, b, err := ts.Render(TemplateAck, "hu", d)
		if err != nil {
			t.Fatal(err)
		}
		return s, b
	}
	tests := []struct {
		name        string
		lang        string
		data        Data
		wantSubject string
		wantFirst   string
	}{
		{"writer's subject echoed", "hu", Data{Subject: "Kérdés"}, "Re: Kérdés", "Kedves Levélíró!"},
		{"reply prefixes not piled up", "hu", Data{Subject: "Re: VÁ: re[2]: Kérdés"}, "Re: Kérdés", "Kedves Levélíró!"},
		{"revealing subject made neutral", "hu", Data{Subject: "a ferjem bantalmaz"}, "Válasz a levelére", "Kedves Levélíró!"},
		{"no subject", "en", Data{}, "Reply to your message", "Hello,"},
		{"name greeted", "en", Data{Name: "Anna"}, "Reply to your message", "Hello Anna,"},
		{"revealing name left out", "hu", Data{Name: "Bántalmazott Nő"}, "Válasz a levelére", "Kedves Levélíró!"},
		{"name on one line", "hu", Data{Name: "Anna\r\nBcc: x"}, "Válasz a levelére", "Kedves Anna Bcc: x!"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			subject, body, err := ts.Render(TemplateAck, tc.lang, tc.data)
			if err != nil {
				t.Fatal(err)
			}
			first, _, _ := strings.Cut(body, "\n")
			if diff := cmp.Diff([]string{tc.wantSubject, tc.wantFirst}, []string{subject, first}); diff != "" {
				t.Errorf("subject and first line (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("no language falls back to Hungarian", func(t *testing.T) {
		t.Parallel()
		ws, wb := hu(sample)
		if s, b, err := ts.Render(TemplateAck, "", sample); err != nil || s != ws || b != wb {
			t.Errorf("Render(ack, \"\") differs from Hungarian (err %v)", err)
		}
		if s, b, err := ts.Render(TemplateInformation, "de", sample); err != nil || !strings.Contains(b, "Kedves Anna!") || strings.Contains(b, "Hello") {
			t.Errorf("Render(information, de) = %q, %v; want Hungarian only (an operator's words are not repeated)", s, err)
		}
	})
	t.Run("another language gets Hungarian, then English", func(t *testing.T) {
		t.Parallel()
		ws, wb := hu(sample)
		_, en, _ := ts.Render(TemplateAck, "en", sample)
		for _, lang := range []string{"other", "de"} {
			s, b, err := ts.Render(TemplateAck, lang, sample)
			if err != nil || s != ws || b != wb+"\n* * *\n\n"+en {
				t.Errorf("Render(ack, %q) = %q,\n%s\nwant the Hungarian subject, the Hungarian body, then the English (err %v)", lang, s, b, err)
			}
		}
	})
	t.Run("crisis home needs a phone", func(t *testing.T) {
		t.Parallel()
		d := sample
		d.HomePhone = " "
		if _, _, err := ts.Render(TemplateCrisisHome, "hu", d); err == nil || !strings.Contains(err.Error(), "HomePhone is empty") {
			t.Errorf("Render without a phone: %v, want HomePhone is empty", err)
		}
	})
	t.Run("unknown template", func(t *testing.T) {
		t.Parallel()
		if _, _, err := ts.Render("nope", "hu", sample); !errors.Is(err, ErrUnknownTemplate) {
			t.Errorf("Render(nope) = %v, want ErrUnknownTemplate", err)
		}
	})
}

func TestReplySubject(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("nagyon ", 40)
	tests := []struct{ in, want string }{
		{"", "N"},
		{"   ", "N"},
		{"Kérdés", "Re: Kérdés"},
		{"re: Kérdés", "Re: Kérdés"},
		{"RE: Re: Vá: AW: SV: Kérdés", "Re: Kérdés"},
		{"Re[3]: Kérdés", "Re: Kérdés"},
		{"Fwd: Kérdés", "Re: Fwd: Kérdés"},
		{"Regards: x", "Re: Regards: x"},
		{"Kérdés\r\n\tfolytatás", "Re: Kérdés folytatás"},
		{"Segítség kellene, erőszakos a párom", "N"},
		{"eroszakos a parom", "N"},
		{"OKIT", "N"},
		{"80 20 55 20", "N"},
		{"re:", "N"},
		{long, "Re: " + string([]rune(strings.TrimSpace(long))[:maxSubject]) + "…"},
	}
	for _, tc := range tests {
		if got := replySubject(triage.Default(), tc.in, "N"); got != tc.want {
			t.Errorf("replySubject(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestRevealing(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"Kérdés", ""},
		{"Válasz a levelére", ""},
		{"Kedves Anna! Köszönjük a levelét, megérkezett hozzánk.", ""},
		{"Re: időpont", ""},
		{"Erőszak", "eroszak"},
		{"gyermekbántalmazás", "bantalm"},
		{"GYERMEKBANTALMAZAS", "bantalm"},
		{"Krízisotthon", "krizis"},
		{"menedékház", "menedek"},
		{"áldozatsegítés", "aldozat"},
		{"Domestic violence", "violen"},
		{"abuse", "abus"},
		{"women's shelter", "shelter"},
		{"crisis line", "crisis"},
		{"victim support", "victim"},
		{"OKIT válasz", "okit"},
		{"okit@ncsszi.hu", "okit"},
		{"tokitat", ""}, // okit only as a word
		{"grapes", ""},  // rape only as a word
		{"hívja: 06-80/20-55-20", "80/20-55-20"},
		{"80 205 520", "80/20-55-20"},
		{"Reply to your message", ""},
		{"Насильство в сім'ї", "насил"},
		{"Кризисный центр", "криз"},
		{"Притулок для жінок", "притул"},
		{"Ответ на ваше письмо", ""},
		{"Дякуємо за ваш лист, він надійшов до нас.", ""},
		{"Hello Anna, Thank you for your message; it has reached us.", ""},
	}
	for _, tc := range tests {
		if got := Revealing(tc.in); got != tc.want {
			t.Errorf("Revealing(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestLoadTemplatesDir checks overrides from OKIT_TEMPLATES_DIR: they
// replace and add, and a broken one is an error at load naming its file.
func TestLoadTemplatesDir(t *testing.T) {
	t.Parallel()
	const subj = `{{define "subject"}}{{reply .Subject "Üzenet"}}{{end}}`
	tests := []struct {
		name    string
		files   map[string]string
		wantErr string // "" for success
		check   func(t *testing.T, ts *Templates)
	}{
		{
			name:  "override replaces the built-in",
			files: map[string]string{"ack.hu.tmpl": subj + "Jó napot!\n\nMegkaptuk.\n", "README.md": "not a template"},
			check: func(t *testing.T, ts *Templates) {
				s, b, err := ts.Render(TemplateAck, "hu", Data{})
				if err != nil || s != "Üzenet" || b != "Jó napot!\n\nMegkaptuk.\n" {
					t.Errorf("Render = %q, %q, %v; want the override", s, b, err)
				}
				if _, b, _ := ts.Render(TemplateAck, "en", Data{}); !strings.Contains(b, "80/20-55-20") {
					t.Errorf("the English built-in was lost:\n%s", b)
				}
			},
		},
		{
			name:  "a new language and a new template",
			files: map[string]string{"ack.de.tmpl": subj + "Hallo\n", "thanks.hu.tmpl": subj + "Köszönjük.\n"},
			check: func(t *testing.T, ts *Templates) {
				if got := ts.Languages(TemplateAck); !cmp.Equal(got, []string{"de", "en", "hu", "ru", "uk"}) {
					t.Errorf("ack languages = %v", got)
				}
				if _, b, err := ts.Render("thanks", "en", Data{}); err != nil || b != "Köszönjük.\n" {
					t.Errorf("Render(thanks, en) = %q, %v; want the Hungarian fallback", b, err)
				}
			},
		},
		{name: "parse error names file and line", files: map[string]string{"ack.hu.tmpl": subj + "\n\n{{.Name | nofunc}}\n"}, wantErr: "ack.hu.tmpl:3"},
		{name: "unknown field", files: map[string]string{"ack.hu.tmpl": subj + "{{.Address}}\n"}, wantErr: "can't evaluate field Address"},
		{name: "no subject block", files: map[string]string{"ack.hu.tmpl": "Hello\n"}, wantErr: `ack.hu.tmpl: no {{define "subject"}}`},
		{name: "badly named file", files: map[string]string{"Ack-HU.tmpl": subj}, wantErr: "NAME.LANG.tmpl"},
		{name: "no Hungarian to fall back to", files: map[string]string{"thanks.en.tmpl": subj + "Thanks\n"}, wantErr: "no Hungarian version thanks.hu.tmpl"},
		{name: "revealing subject", files: map[string]string{"ack.hu.tmpl": `{{define "subject"}}OKIT krízisvonal{{end}}Jó napot!` + "\n"}, wantErr: "subject would reveal"},
		{name: "revealing opening", files: map[string]string{"ack.hu.tmpl": subj + "Kedves Anna!\nA krízisvonal megkapta a levelét.\n"}, wantErr: "opening lines would reveal"},
		{name: "writer's subject copied raw", files: map[string]string{"ack.hu.tmpl": `{{define "subject"}}Re: {{.Subject}}{{end}}Jó napot!` + "\n"}, wantErr: "subject would reveal"},
		{name: "operator's text first", files: map[string]string{"information.hu.tmpl": subj + "{{.Text}}\n"}, wantErr: "opening lines would reveal"},
		{name: "reminder may name its subject", files: map[string]string{"reminder.hu.tmpl": `{{define "subject"}}Krízisotthon: {{.CaseRef}}{{end}}x` + "\n"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			for name, text := range tc.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			ts, err := LoadTemplates(dir, triage.Default())
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("LoadTemplates = %v, want an error containing %q", err, tc.wantErr)
				}
				if !strings.Contains(err.Error(), dir) {
					t.Errorf("error %q does not name the directory", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tc.check != nil {
				tc.check(t, ts)
			}
		})
	}
	t.Run("missing directory", func(t *testing.T) {
		t.Parallel()
		_, err := LoadTemplates(filepath.Join(t.TempDir(), "nope"), triage.Default())
		if err == nil || !errors.Is(err, os.ErrNotExist) {
			t.Errorf("LoadTemplates(missing) = %v, want not exist", err)
		}
	})
}

// TestDataHasNoAddress guards the secrecy of crisis homes: templates are
// rendered from Data only, so a field that could hold a home's address
// would be one edit of a template away from mailing it.
func TestDataHasNoAddress(t *testing.T) {
	t.Parallel()
	typ := reflect.TypeFor[Data]()
	for i := range typ.NumField() {
		name := strings.ToLower(typ.Field(i).Name)
		for _, bad := range []string{"address", "addr", "street", "city", "location", "cim"} {
			if strings.Contains(name, bad) {
				t.Errorf("Data.%s looks like a place; crisis homes' addresses are never mailed", typ.Field(i).Name)
			}
		}
	}
}

// A writer's own subject is echoed only when it says nothing triage can
// read: "Re: apu megütött" on a lock screen tells what the mail is about.
func TestReplySubjectEchoesOnlyHarmlessSubjects(t *testing.T) {
	t.Parallel()
	for subject, want := range map[string]string{
		"kerdes":                    "Re: kerdes",
		"Re: Szeretnék érdeklődni":  "Re: Szeretnék érdeklődni",
		"apu megutott":              "Válasz a levelére",
		"A fiam bánt, mit tehetek?": "Válasz a levelére",
		"Need help - my husband":    "Válasz a levelére",
		"Kérdés a távoltartásról":   "Válasz a levelére",
		"":                          "Válasz a levelére",
	} {
		if got := replySubject(triage.Default(), subject, "Válasz a levelére"); got != want {
			t.Errorf("replySubject(%q) = %q, want %q", subject, got, want)
		}
	}
}

// A danger word a supervisor adds to the rules (OKIT_RULES_FILE) is never
// echoed in a reply's subject, although the built-in rules know nothing
// of it.
func TestReplySubjectUsesConfiguredRules(t *testing.T) {
	t.Parallel()
	rules, err := triage.Load([]byte("version: \"test-1\"\nrules:\n  - id: local-word\n    priority: 1\n    match: [kukorica]\n"), "test.yaml")
	if err != nil {
		t.Fatal(err)
	}
	const subject = "A kukorica ügyében"
	if got := replySubject(triage.Default(), subject, "N"); got != "Re: "+subject {
		t.Fatalf("built-in rules: replySubject = %q, want the subject echoed (the test word must be unknown to them)", got)
	}
	ts, err := LoadTemplates("", rules)
	if err != nil {
		t.Fatal(err)
	}
	subj, _, err := ts.Render(TemplateAck, "hu", Data{Subject: subject})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(subj, "kukorica") {
		t.Errorf("acknowledgement subject %q echoes a word the configured rules flag", subj)
	}
}
