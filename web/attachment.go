package web

import (
	"errors"
	"mime"
	"net/http"
	"strconv"

	"github.com/ncsszi/okit/message"
	"github.com/ncsszi/okit/storage"
)

// attachment sends one attachment of a case's message as a download,
// never shown in the console: the download is recorded before the
// message is decrypted, and the browser is told not to guess its type.
func (s *Server) attachment(w http.ResponseWriter, r *http.Request, c *call) {
	ctx := r.Context()
	id, err1 := strconv.ParseInt(r.PathValue("id"), 10, 64)
	n, err2 := strconv.Atoi(r.PathValue("n"))
	if err1 != nil || err2 != nil {
		s.notFound(w, r, c)
		return
	}
	caseID, sealed, err := s.store.RawMessage(ctx, r.PathValue("ref"), id)
	if errors.Is(err, storage.ErrNotFound) {
		s.notFound(w, r, c)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	err = s.store.RecordOn(ctx, caseID, storage.EventAttachmentDownloaded, c.actor, map[string]any{"message": id, "attachment": n})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	raw, err := s.keys.Open(sealed)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	att, data, ok := message.AttachmentData(raw, n)
	if !ok {
		s.notFound(w, r, c)
		return
	}
	name := att.Filename
	if name == "" {
		name = "attachment-" + strconv.Itoa(n+1)
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	w.Header().Set("Content-Security-Policy", "default-src 'none'; sandbox")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Write(data)
}
