package website

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"

	"github.com/labstack/echo/v4"

	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/web"
)

//go:embed templates/*.html static/site.css
var assets embed.FS

// views are the parsed templates and the style sheet.
type views struct {
	pages  map[string]*template.Template
	css    []byte
	cssURL string // versioned, so that it can be cached for long
}

var pageNames = []string{"form", "sent", "track", "error"}

func newViews() (*views, error) {
	css, err := assets.ReadFile("static/site.css")
	if err != nil {
		return nil, fmt.Errorf("website: %w", err)
	}
	sum := sha256.Sum256(css)
	v := &views{pages: map[string]*template.Template{}, css: css,
		cssURL: "/static/site.css?v=" + hex.EncodeToString(sum[:6])}
	// Every message key the templates name must exist: a missing one is a
	// bug caught at start, not a raw key shown to a citizen.
	keyRe := regexp.MustCompile(`\.T "([a-z.]+)"`)
	for _, name := range pageNames {
		for _, f := range []string{"templates/layout.html", "templates/" + name + ".html"} {
			src, err := assets.ReadFile(f)
			if err != nil {
				return nil, fmt.Errorf("website: %w", err)
			}
			for _, m := range keyRe.FindAllSubmatch(src, -1) {
				if _, ok := messages[string(m[1])]; !ok {
					return nil, fmt.Errorf("website: %s uses unknown message %q", f, m[1])
				}
			}
		}
		t, err := template.ParseFS(assets, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("website: template %s: %w", name, err)
		}
		v.pages[name] = t
	}
	return v, nil
}

// base is what every page needs.
type base struct {
	Lang   string
	CSS    string
	Switch langSwitch
	Errors []fieldError
	// SummaryKey heads the error summary; "" is the form's "not sent yet".
	SummaryKey string
}

type langSwitch struct {
	Lang, Href, Label string
}

func (v *views) base(lang, path string) base {
	sw := langSwitch{Lang: langEN, Href: path + "?lang=en", Label: "English"}
	if lang == langEN {
		sw = langSwitch{Lang: langVI, Href: path + "?lang=vi", Label: "Tiếng Việt"}
	}
	return base{Lang: lang, CSS: v.cssURL, Switch: sw}
}

// T is a fixed text in the page's language.
func (b base) T(key string) string {
	m, ok := messages[key]
	if !ok {
		return key
	}
	if b.Lang == langEN {
		return m.en
	}
	return m.vi
}

// Msg picks the language of an error's message.
func (b base) Msg(e *feedback.Error) string {
	vi, en := feedback.ErrorMessages(e)
	if b.Lang == langEN {
		return en
	}
	return vi
}

// SummaryTitle is the heading of the error summary.
func (b base) SummaryTitle() string {
	if b.SummaryKey != "" {
		return b.T(b.SummaryKey)
	}
	return b.T("error.summary")
}

// HasErrors tells the layout to prefix the title, so that a screen reader
// hears at once that the form came back.
func (b base) HasErrors() bool { return len(b.Errors) > 0 }

// fieldError is a message in the summary, linked to its field.
type fieldError struct {
	Field   string
	Anchor  string // element id to jump to; "" when it is about the whole form
	Message string
}

// render writes a page. HTML pages are never cached by shared caches: the
// form holds a token, the status pages a citizen's item.
func (v *views) render(c echo.Context, status int, name string, data any) error {
	t, ok := v.pages[name]
	if !ok {
		return fmt.Errorf("website: no page %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		return fmt.Errorf("website: render %s: %w", name, err)
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Vary", "Cookie")
	return c.HTMLBlob(status, buf.Bytes())
}

// securityHeaders go on every answer. The pages use no script at all, so
// the policy allows none.
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		// Status pages carry the tracking code in their path: keep it home.
		h.Set("Referrer-Policy", "same-origin")
		return next(c)
	}
}

func handleCSS(v *views) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
		h.Set("Content-Length", strconv.Itoa(len(v.css)))
		return c.Blob(http.StatusOK, "text/css; charset=utf-8", v.css)
	}
}

// errorPage is the page for what no handler answered itself: unknown
// paths, codes that do not exist, a store that is down.
type errorPage struct {
	base
	Status  int
	Heading string
	Message string
}

// errorHandler answers errors as HTML pages in the citizen's language. The
// status still comes from web.Detail, the one map of codes to statuses.
func errorHandler(v *views, log *slog.Logger, secure bool) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			log.Warn("website: error after response started", "path", c.Path(), "err", err)
			return
		}
		status, d := web.Detail(err)
		if status >= 500 {
			log.Error("website: request failed", "method", c.Request().Method, "path", c.Path(), "status", status, "err", err)
		}
		if status == http.StatusServiceUnavailable {
			c.Response().Header().Set("Retry-After", "30")
		}
		if c.Request().Method == http.MethodHead {
			_ = c.NoContent(status)
			return
		}
		p := errorPage{base: v.base(langOf(c, secure), c.Request().URL.Path), Status: status}
		switch {
		case status == http.StatusNotFound:
			p.Heading, p.Message = p.T("error.notfound"), p.T("error.notfound.text")
		case status == http.StatusServiceUnavailable:
			p.Heading, p.Message = p.T("error.unavailable"), p.Msg(feedback.Unavailable(nil))
		default:
			p.Heading = p.T("error.other")
			var fe *feedback.Error
			if errors.As(err, &fe) {
				p.Message = p.Msg(fe)
			} else if p.Lang == langEN {
				p.Message = d.MessageEN
			} else {
				p.Message = d.Message
			}
		}
		if rerr := v.render(c, status, "error", p); rerr != nil {
			log.Error("website: rendering error page", "err", rerr)
			_ = c.String(status, http.StatusText(status))
		}
	}
}
