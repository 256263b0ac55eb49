package website

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/metrics"
	"pakn.local/services/internal/web"
)

// formPage is the citizen's form, fresh or shown again with problems.
type formPage struct {
	base
	Token      string
	Values     formInput
	Err        map[string]string // field name -> message next to it
	Categories []option
	Wards      []option
	PhotosLost bool
}

type option struct {
	Value, Label string
	Selected     bool
}

// anchors map a problem's field to the element the summary links to.
var anchors = map[string]string{
	fieldContent: fieldContent, fieldCategory: fieldCategory, fieldWard: fieldWard,
	fieldAddress: fieldAddress, fieldName: fieldName, fieldPhone: fieldPhone, fieldPhotos: "photo1",
}

func newFormPage(ctx context.Context, log *slog.Logger, org OrgReader, v *views, lang, token string, in formInput, errs []*feedback.Error) formPage {
	p := formPage{base: v.base(lang, "/"), Token: token, Values: in, Err: map[string]string{}}
	for _, e := range errs {
		msg := p.Msg(e)
		p.Errors = append(p.Errors, fieldError{Field: e.Field, Anchor: anchors[e.Field], Message: msg})
		if anchors[e.Field] != "" {
			if prev, ok := p.Err[e.Field]; ok {
				msg = prev + " " + msg
			}
			p.Err[e.Field] = msg
		}
	}
	p.PhotosLost = len(errs) > 0 && in.Attached > 0
	// The form still works without the lists: both fields are optional,
	// and the router places an item without them.
	if cats, err := org.Categories(ctx); err != nil {
		log.Warn("website: categories unavailable", "err", err)
	} else {
		for _, c := range cats {
			label := c.Name
			if lang == langEN && c.NameEN != "" {
				label = c.NameEN
			}
			p.Categories = append(p.Categories, option{Value: c.Code, Label: label, Selected: c.Code == in.Category})
		}
	}
	if wards, err := org.Wards(ctx); err != nil {
		log.Warn("website: wards unavailable", "err", err)
	} else {
		for _, w := range wards {
			p.Wards = append(p.Wards, option{Value: w.Code, Label: w.Name, Selected: w.Code == in.Ward})
		}
	}
	return p
}

func handleForm(cfg Config, log *slog.Logger, org OrgReader, v *views, tok *tokens) echo.HandlerFunc {
	secure := strings.HasPrefix(cfg.PublicURL, "https://")
	return func(c echo.Context) error {
		lang := langOf(c, secure)
		p := newFormPage(c.Request().Context(), log, org, v, lang, tok.issue(cfg.Now()), formInput{}, nil)
		return v.render(c, http.StatusOK, "form", p)
	}
}

// severity orders problems, so that a form with several answers with the
// most telling status: a photo too large (413) before a wrong type (415)
// before a missing field (400).
func severity(code string) int {
	switch code {
	case feedback.ETOOLARGE:
		return 3
	case feedback.EUNSUPPORTED:
		return 2
	}
	return 1
}

func statusFor(errs []*feedback.Error) int {
	best := errs[0]
	for _, e := range errs[1:] {
		if severity(e.Code) > severity(best.Code) {
			best = e
		}
	}
	return web.Status(best.Code)
}

// errFromMessage makes a form-level problem from a fixed text.
func errFromMessage(code, key string) *feedback.Error {
	m := messages[key]
	return &feedback.Error{Code: code, Message: m.vi, MessageEN: m.en}
}

// handleSubmit takes the form. The order matters: reject cross-site posts
// before reading anything; read within the body limit; check the token and
// every field, all at once so that the citizen sees every problem; only
// then spend a token of the rate limit, store the photos and publish.
// Every failure shows the form again with what was typed, except photos.
func handleSubmit(cfg Config, log *slog.Logger, m *metrics.Metrics, intake Intake, files Files, org OrgReader,
	v *views, tok *tokens, lim *limiter, origins *http.CrossOriginProtection) echo.HandlerFunc {
	secure := strings.HasPrefix(cfg.PublicURL, "https://")
	return func(c echo.Context) error {
		r := c.Request()
		ctx := r.Context()
		now := cfg.Now()
		if err := origins.Check(r); err != nil {
			// Another site's page made the browser post here: the text is
			// theirs, not the citizen's, so nothing is shown back.
			e := errFromMessage(feedback.EFORBIDDEN, "cross.site")
			e.Err = err
			return e
		}
		// Given the real writer, MaxBytesReader also has net/http close the
		// connection after answering, so an oversized upload stops there.
		in, errs := decodeForm(http.MaxBytesReader(c.Response().Writer, r.Body, maxFormBytes), r.Header.Get("Content-Type"))
		lang := in.Lang
		if lang != langVI && lang != langEN {
			lang = langOf(c, secure)
		}
		// show answers with the form again; token "" keeps the form's own
		// token where it is still good, so that a retry is the same item.
		show := func(token string, errs ...*feedback.Error) error {
			if token == "" {
				token = tok.renew(in.Token, now)
			}
			p := newFormPage(ctx, log, org, v, lang, token, in, errs)
			return v.render(c, statusFor(errs), "form", p)
		}
		if formLevel := formProblems(errs); len(formLevel) > 0 {
			// The body could not be read as a form (or was too big): its
			// fields say little, so only this is reported.
			return show("", formLevel...)
		}
		if in.Honeypot != "" {
			// A bot, or rarely a person whose browser filled the hidden
			// field: both get the form back with a fresh token and the
			// same text as a bad token. Pretending success would tell a
			// person their report was taken when it was not.
			log.Info("website: honeypot filled; nothing published", "ip", c.RealIP())
			return show(tok.issue(now), errTokenBad)
		}
		nonce, terr := tok.verify(in.Token, now)
		if terr != nil {
			errs = append([]*feedback.Error{terr}, errs...)
		}
		if in.Content == "" && !hasField(errs, fieldContent) {
			errs = append(errs, feedback.Invalid(fieldContent, messages["content.missing"].vi, messages["content.missing"].en))
		}
		errs = append(errs, checkChoices(ctx, log, org, in, errs)...)
		if len(errs) > 0 {
			token := ""
			if terr != nil {
				token = tok.issue(now)
			}
			return show(token, errs...)
		}
		if ok, wait := lim.allow(clientAddr(c), now); !ok {
			c.Response().Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
			return show("", errFromMessage(feedback.ERATELIMIT, "rate.limited"))
		}

		it := toItem(in, nonce, lang, now)
		if m != nil {
			m.ItemsAccepted.WithLabelValues(string(feedback.ChannelWebsite)).Inc()
		}
		atts, err := storePhotos(ctx, files, cfg, nonce, in.Photos)
		if err == nil {
			it.Attachments = atts
			var code feedback.TrackingCode
			code, err = intake.Submit(ctx, it)
			if err == nil {
				if m != nil {
					m.ItemsPublished.WithLabelValues(string(feedback.ChannelWebsite)).Inc()
				}
				log.Info("website: item published", "code", code, "phone", it.Citizen.Phone, "photos", len(atts))
				to := "/sent/" + string(code)
				if lang == langEN {
					to += "?lang=en" // for browsers that refuse the language cookie
				}
				return c.Redirect(http.StatusSeeOther, to)
			}
		}
		if m != nil {
			m.ItemsFailed.WithLabelValues("publish").Inc()
		}
		switch feedback.ErrorCode(err) {
		case feedback.ECONFLICT:
			// The form's key names another item (its first send had other
			// text): a fresh token makes this a new item.
			return show(tok.issue(now), errFromMessage(feedback.ECONFLICT, "conflict"))
		case feedback.EINVALID:
			// Item.Validate caught what the form checks missed: say so.
			var fe *feedback.Error
			errors.As(err, &fe)
			return show("", fe)
		case feedback.EUNAVAILABLE:
			log.Warn("website: publish failed", "err", err)
			c.Response().Header().Set("Retry-After", "30")
			return show("", errFromMessage(feedback.EUNAVAILABLE, "unavailable"))
		default:
			log.Error("website: publish failed", "err", err)
			return show("", errFromMessage(feedback.EINTERNAL, "unavailable"))
		}
	}
}

func formProblems(errs []*feedback.Error) []*feedback.Error {
	var out []*feedback.Error
	for _, e := range errs {
		if e.Field == "" {
			out = append(out, e)
		}
	}
	return out
}

func hasField(errs []*feedback.Error, field string) bool {
	for _, e := range errs {
		if e.Field == field {
			return true
		}
	}
	return false
}

// checkChoices makes sure the ward and category are ours. When the
// organisation cannot be read, the values pass as they are (they were
// checked as text): the router places unknown values itself, and the
// citizen's report matters more than the select.
func checkChoices(ctx context.Context, log *slog.Logger, org OrgReader, in formInput, already []*feedback.Error) []*feedback.Error {
	var errs []*feedback.Error
	if in.Ward != "" && !hasField(already, fieldWard) {
		wards, err := org.Wards(ctx)
		if err != nil {
			log.Warn("website: wards unavailable; ward not checked", "err", err)
		} else if !containsWard(wards, in.Ward) {
			errs = append(errs, feedback.Invalid(fieldWard, messages["ward.unknown"].vi, messages["ward.unknown"].en))
		}
	}
	if in.Category != "" && !hasField(already, fieldCategory) {
		cats, err := org.Categories(ctx)
		if err != nil {
			log.Warn("website: categories unavailable; category not checked", "err", err)
		} else if !containsCategory(cats, in.Category) {
			errs = append(errs, feedback.Invalid(fieldCategory, messages["category.unknown"].vi, messages["category.unknown"].en))
		}
	}
	return errs
}

func containsWard(ws []feedback.Ward, code string) bool {
	for _, w := range ws {
		if w.Code == code {
			return true
		}
	}
	return false
}

func containsCategory(cs []feedback.Category, code string) bool {
	for _, c := range cs {
		if c.Code == code {
			return true
		}
	}
	return false
}

func clientAddr(c echo.Context) netip.Addr {
	a, err := netip.ParseAddr(c.RealIP())
	if err != nil {
		return netip.Addr{} // unknown peers share one bucket
	}
	return a
}

// toItem converts a checked form into an item. The key is the form's
// nonce: the same form sent twice is the same item.
func toItem(in formInput, nonce, lang string, now time.Time) *feedback.Item {
	return &feedback.Item{
		Key:        feedback.ItemKey(feedback.ChannelWebsite, nonce),
		Channel:    feedback.ChannelWebsite,
		ReceivedAt: now.UTC(),
		Content:    in.Content,
		Category:   in.Category,
		Ward:       in.Ward,
		Address:    in.Address,
		Citizen:    feedback.Citizen{Name: in.Name, Phone: feedback.Phone(in.Phone)},
		Language:   lang,
	}
}

// storePhotos puts the photos in the object store and returns them as
// attachments with public links.
func storePhotos(ctx context.Context, files Files, cfg Config, nonce string, photos []photo) ([]feedback.Attachment, error) {
	var atts []feedback.Attachment
	seen := map[string]bool{}
	for _, p := range photos {
		id := photoID(cfg.Secret, nonce, p.Data)
		if seen[id] {
			continue // the same photo chosen twice
		}
		seen[id] = true
		if err := files.Put(ctx, id, p.ContentType, p.Data); err != nil {
			return nil, err
		}
		atts = append(atts, feedback.Attachment{
			URL:         cfg.PublicURL + "/files/" + id,
			Name:        "photo-" + strconv.Itoa(len(atts)+1) + "." + strings.TrimPrefix(p.ContentType, "image/"),
			ContentType: p.ContentType,
		})
	}
	return atts, nil
}

// sentPage tells the citizen their code.
type sentPage struct {
	base
	Code     string
	TrackURL string
}

func handleSent(log *slog.Logger, intake Intake, v *views, secure bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		code, err := feedback.ParseTrackingCode(c.Param("code"))
		if err != nil {
			return errNoPage
		}
		known, err := intake.Known(c.Request().Context(), code)
		if err != nil {
			// The citizen was just given this code: show it even if NATS
			// blinks now, rather than hide it behind an error.
			log.Warn("website: cannot check code", "code", code, "err", err)
		} else if !known {
			return errNoPage
		}
		p := sentPage{base: v.base(langOf(c, secure), "/sent/"+string(code)), Code: string(code), TrackURL: "/track/" + string(code)}
		return v.render(c, http.StatusOK, "sent", p)
	}
}

var errNoPage = feedback.Errorf(feedback.ENOTFOUND, "Không tìm thấy trang.", "Page not found.")
