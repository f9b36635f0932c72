package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/ncsszi/okit/storage"
)

// sheltersPage shows the crisis-home directory: working names, regions,
// intake phones and free places. Addresses stay sealed: nobody needs
// them on a screen.
func (s *Server) sheltersPage(w http.ResponseWriter, r *http.Request, c *call) {
	hs, err := s.store.Shelters(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "shelters", "", &page{catalog: s.lang(r), Title: "shelters.title", Nav: "shelters",
		Session: c.session, Notice: r.URL.Query().Get("notice"), Data: hs})
}

// setPlaces records a crisis home's free places, as a supervisor hears
// them on the phone.
func (s *Server) setPlaces(w http.ResponseWriter, r *http.Request, c *call) {
	n, err := strconv.Atoi(r.PostFormValue("places"))
	if err != nil || n < 0 || n > 999 {
		redirect(w, r, "/shelters", "problem.places")
		return
	}
	err = s.store.SetShelterPlaces(r.Context(), r.PostFormValue("name"), n, c.actor)
	switch {
	case errors.Is(err, storage.ErrNotFound):
		redirect(w, r, "/shelters", "problem.not_found")
	case err != nil:
		s.fail(w, r, err)
	default:
		redirect(w, r, "/shelters", "shelters.updated")
	}
}
