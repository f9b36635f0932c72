package web

import (
	"embed"
	"net/http"
)

//go:embed static
var staticFiles embed.FS

// static serves the console's stylesheet and script. They change only
// with okit, so browsers may keep them an hour.
func (s *Server) static(w http.ResponseWriter, r *http.Request, c *call) {
	w.Header().Set("Cache-Control", "public, max-age=3600")
	http.FileServerFS(staticFiles).ServeHTTP(w, r)
}
