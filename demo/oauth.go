package demo

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"time"
)

// OAuth is an OAuth2 authorisation server in process, standing in for
// Microsoft's or Google's in tests: it issues access tokens by client
// credentials, by device code (RFC 8628), by refresh token (rotating the
// refresh token every time, as strictly as any provider does) and to a
// service account's signed JWT; a Mailbox made with it checks every token
// against it. A test can make it fail for a while (Down) or revoke every
// grant (Revoke), as a provider does when consent is removed.
type OAuth struct {
	URL          string // the base; TokenURL and DeviceURL hang below it
	ClientID     string
	ClientSecret string
	// Lifetime is how long an access token is good for.
	Lifetime time.Duration

	srv *httptest.Server
	mu  sync.Mutex
	// access tokens by token: whom they may open ("" for anyone) and until when.
	access  map[string]accessToken
	refresh map[string]bool       // refresh tokens that still work
	devices map[string]*deviceReq // by device code
	down    bool
	revoked bool
	saKey   *rsa.PublicKey
	issued  map[string]int // by grant type
}

type accessToken struct {
	subject string
	expiry  time.Time
}

type deviceReq struct {
	userCode string
	approved bool
}

// StartOAuth starts the server on a loopback port; access tokens last
// lifetime.
func StartOAuth(lifetime time.Duration) *OAuth {
	o := &OAuth{ClientID: "okit-test-app", ClientSecret: randomHex(16), Lifetime: lifetime,
		access: map[string]accessToken{}, refresh: map[string]bool{}, devices: map[string]*deviceReq{}, issued: map[string]int{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /token", o.token)
	mux.HandleFunc("POST /device", o.device)
	o.srv = httptest.NewServer(mux)
	o.URL = o.srv.URL
	return o
}

// Close stops the server.
func (o *OAuth) Close() { o.srv.Close() }

// TokenURL is the token endpoint.
func (o *OAuth) TokenURL() string { return o.URL + "/token" }

// DeviceURL is the device authorisation endpoint.
func (o *OAuth) DeviceURL() string { return o.URL + "/device" }

// Down makes the token endpoint answer 503 (true) or work again (false).
func (o *OAuth) Down(down bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.down = down
}

// Revoke withdraws every grant: issued access and refresh tokens stop
// working and no new token is given until Restore. A person's sign-in
// stays withdrawn: after Restore they must authorise again.
func (o *OAuth) Revoke() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.revoked = true
	clear(o.access)
	clear(o.refresh)
}

// Restore gives tokens again after Revoke (the app's consent is back).
func (o *OAuth) Restore() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.revoked = false
}

// Approve signs in every person waiting on a device code, as if they had
// entered it.
func (o *OAuth) Approve() {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, d := range o.devices {
		d.approved = true
	}
}

// Issued says how many access tokens were given by grant type
// (client_credentials, refresh_token, device_code, jwt_bearer).
func (o *OAuth) Issued(grant string) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.issued[grant]
}

// Valid reports whether token is good now for signing in as user.
func (o *OAuth) Valid(token, user string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	a, ok := o.access[token]
	return ok && time.Now().Before(a.expiry) && (a.subject == "" || strings.EqualFold(a.subject, user))
}

// Expiry is when token runs out (zero for a token never issued).
func (o *OAuth) Expiry(token string) time.Time {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.access[token].expiry
}

// WriteServiceAccountKey writes a Google-style service account JSON key
// to path (mode 0600), whose JWTs this server accepts.
func (o *OAuth) WriteServiceAccountKey(path string) error {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return err
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return err
	}
	o.mu.Lock()
	o.saKey = &k.PublicKey
	o.mu.Unlock()
	b, err := json.Marshal(map[string]string{"type": "service_account", "client_email": "okit@okit-test.iam.example",
		"private_key_id": randomHex(8), "token_uri": o.TokenURL(),
		"private_key": string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))})
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o600)
}

func (o *OAuth) device(w http.ResponseWriter, r *http.Request) {
	if r.FormValue("client_id") != o.ClientID {
		oauthError(w, http.StatusBadRequest, "invalid_client")
		return
	}
	code, user := randomHex(16), strings.ToUpper(randomHex(4))
	o.mu.Lock()
	o.devices[code] = &deviceReq{userCode: user}
	o.mu.Unlock()
	json.NewEncoder(w).Encode(map[string]any{"device_code": code, "user_code": user,
		"verification_uri": o.URL + "/devicelogin", "expires_in": 300, "interval": 1})
}

func (o *OAuth) token(w http.ResponseWriter, r *http.Request) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.down {
		oauthError(w, http.StatusServiceUnavailable, "temporarily_unavailable")
		return
	}
	grant := r.FormValue("grant_type")
	var subject string
	withRefresh := false
	switch grant {
	case "client_credentials":
		if r.FormValue("client_id") != o.ClientID || r.FormValue("client_secret") != o.ClientSecret {
			oauthError(w, http.StatusUnauthorized, "invalid_client")
			return
		}
	case "urn:ietf:params:oauth:grant-type:device_code":
		grant = "device_code"
		d := o.devices[r.FormValue("device_code")]
		switch {
		case d == nil:
			oauthError(w, http.StatusBadRequest, "expired_token")
			return
		case !d.approved:
			oauthError(w, http.StatusBadRequest, "authorization_pending")
			return
		}
		delete(o.devices, r.FormValue("device_code"))
		withRefresh = true
	case "refresh_token":
		rt := r.FormValue("refresh_token")
		if !o.refresh[rt] {
			oauthError(w, http.StatusBadRequest, "invalid_grant")
			return
		}
		delete(o.refresh, rt) // rotated: the old one is spent
		withRefresh = true
	case "urn:ietf:params:oauth:grant-type:jwt-bearer":
		grant = "jwt_bearer"
		var err error
		if subject, err = o.checkJWT(r.FormValue("assertion")); err != nil {
			oauthError(w, http.StatusBadRequest, "invalid_grant")
			return
		}
	default:
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type")
		return
	}
	if o.revoked {
		oauthError(w, http.StatusBadRequest, "invalid_grant")
		return
	}
	tok := randomHex(24)
	o.access[tok] = accessToken{subject: subject, expiry: time.Now().Add(o.Lifetime)}
	o.issued[grant]++
	resp := map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": int(o.Lifetime.Seconds())}
	if withRefresh {
		rt := randomHex(24)
		o.refresh[rt] = true
		resp["refresh_token"] = rt
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(resp)
}

// checkJWT verifies a service account's RS256 assertion and returns the
// mailbox it asks for (sub).
func (o *OAuth) checkJWT(assertion string) (string, error) {
	parts := strings.Split(assertion, ".")
	if len(parts) != 3 || o.saKey == nil {
		return "", errors.New("not a JWT")
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if err := rsa.VerifyPKCS1v15(o.saKey, crypto.SHA256, sum[:], sig); err != nil {
		return "", err
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return "", err
	}
	var claims struct {
		Sub string `json:"sub"`
		Exp int64  `json:"exp"`
	}
	if err := json.Unmarshal(payload, &claims); err != nil || claims.Sub == "" || time.Unix(claims.Exp, 0).Before(time.Now()) {
		return "", errors.New("bad claims")
	}
	return claims.Sub, nil
}

func oauthError(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": "test provider: " + code})
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
