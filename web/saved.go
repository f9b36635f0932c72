package web

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ncsszi/okit/replies"
	"github.com/ncsszi/okit/storage"
)

// savedLanguages are the languages answers are framed in, and so the
// languages of saved answers; a case in another language is answered in
// Hungarian.
var savedLanguages = []string{"hu", "en", "uk", "ru"}

// maxSaved is the longest saved answer: a few paragraphs.
const maxSaved = 8 << 10

// savedAnswer is a saved answer as a case page offers it: with the key
// (1 to 9, within its voice) that inserts it.
type savedAnswer struct {
	storage.SavedAnswer
	Key int // 0 for none: only the first nine of a voice have one
}

// savedFor gives the saved answers for a case in language lang, each
// voice's first nine with their keys.
func (s *Server) savedFor(ctx context.Context, lang string) ([]savedAnswer, error) {
	if !slices.Contains(savedLanguages, lang) {
		lang = replies.DefaultLanguage
	}
	as, err := s.store.SavedAnswers(ctx, lang)
	if err != nil {
		return nil, err
	}
	out := make([]savedAnswer, len(as))
	keys := map[string]int{}
	for i, a := range as {
		out[i].SavedAnswer = a
		if keys[a.Voice] < 9 {
			keys[a.Voice]++
			out[i].Key = keys[a.Voice]
		}
	}
	return out, nil
}

type savedData struct {
	Answers   []storage.SavedAnswer
	Languages []string
	Voices    []replies.Voice
}

// answersPage lists the saved answers for supervisors to write and edit.
func (s *Server) answersPage(w http.ResponseWriter, r *http.Request, c *call) {
	as, err := s.store.SavedAnswers(r.Context(), "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "answers", "", &page{catalog: s.lang(r), Title: "saved.title", Nav: "answers",
		Session: c.session, Notice: r.URL.Query().Get("notice"),
		Data: savedData{Answers: as, Languages: savedLanguages, Voices: replies.Voices()}})
}

// saveAnswer adds a saved answer, or changes the one the address names.
func (s *Server) saveAnswer(w http.ResponseWriter, r *http.Request, c *call) {
	a := storage.SavedAnswer{Title: strings.TrimSpace(r.PostFormValue("title")), Language: r.PostFormValue("language"),
		Voice: r.PostFormValue("voice")}
	a.Position, _ = strconv.Atoi(r.PostFormValue("position"))
	body, ok := formText(r, "body")
	a.Body = body
	if id := r.PathValue("id"); id != "" {
		var err error
		if a.ID, err = strconv.ParseInt(id, 10, 64); err != nil {
			redirect(w, r, "/answers", "problem.not_found")
			return
		}
	}
	switch {
	case !ok || a.Title == "" || a.Body == "" || utf8.RuneCountInString(a.Title) > 120 || len(a.Body) > maxSaved ||
		!slices.Contains(savedLanguages, a.Language) || !slices.Contains(replies.Voices(), replies.Voice(a.Voice)):
		redirect(w, r, "/answers", "problem.saved_incomplete")
		return
	case writersWords(a.Title+"\n"+a.Body) != "":
		redirect(w, r, "/answers", "problem.saved_private")
		return
	}
	_, err := s.store.SaveAnswer(r.Context(), a, c.actor)
	switch {
	case errors.Is(err, storage.ErrDuplicate):
		redirect(w, r, "/answers", "problem.saved_duplicate")
	case errors.Is(err, storage.ErrNotFound):
		redirect(w, r, "/answers", "problem.not_found")
	case err != nil:
		s.fail(w, r, err)
	default:
		redirect(w, r, "/answers", "saved.saved")
	}
}

// deleteAnswer removes a saved answer.
func (s *Server) deleteAnswer(w http.ResponseWriter, r *http.Request, c *call) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err == nil {
		err = s.store.DeleteAnswer(r.Context(), id, c.actor)
	}
	switch {
	case err == nil:
		redirect(w, r, "/answers", "saved.deleted")
	case errors.Is(err, storage.ErrNotFound), errors.Is(err, strconv.ErrSyntax):
		redirect(w, r, "/answers", "problem.not_found")
	default:
		s.fail(w, r, err)
	}
}

// Saved answers are kept in the clear (see migration 11): they are the
// service's own texts. What a writer's words would bring into one is
// refused: an e-mail address, a phone number other than the line's own
// (80/20-55-20, 112), a case reference.
var (
	mailAddress = regexp.MustCompile(`[^\s@]+@[^\s@]+\.[^\s@]+`)
	caseRef     = regexp.MustCompile(`(?i)\bOKIT-\d{4}-\d+`)
	phoneRun    = regexp.MustCompile(`\+?\d[\d /().-]{5,}\d`)
)

// writersWords gives what in a saved answer looks like it came from a
// writer, or "" for none.
func writersWords(text string) string {
	if m := mailAddress.FindString(text); m != "" {
		return m
	}
	if m := caseRef.FindString(text); m != "" {
		return m
	}
	for _, m := range phoneRun.FindAllString(text, -1) {
		digits := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, m)
		if !strings.Contains(digits, "80205520") {
			return m
		}
	}
	return ""
}

// savedFormData is what the fields of a saved answer's form are rendered
// with: the page, the answer (nil for a new one), and an id for labels.
type savedFormData struct {
	Page   *page
	Answer *storage.SavedAnswer
	ID     string
}

func savedForm(p *page, a any) savedFormData {
	if sa, ok := a.(storage.SavedAnswer); ok {
		return savedFormData{Page: p, Answer: &sa, ID: strconv.FormatInt(sa.ID, 10)}
	}
	return savedFormData{Page: p, ID: "new"}
}
