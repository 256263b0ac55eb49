package hotline

import (
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/web"
)

// operatorCall is what a call-desk operator types while a citizen is on the line.
type operatorCall struct {
	CallRef  string `json:"call_ref"` // the desk's own reference of the call: the idempotency key
	Phone    string `json:"phone"`
	Name     string `json:"name"`
	Content  string `json:"content"`
	Category string `json:"category"`
	Ward     string `json:"ward"`
	Address  string `json:"address"`
}

type trackingCodeBody struct {
	TrackingCode feedback.TrackingCode `json:"tracking_code"`
}

var callRefRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$`)

// handleOperatorCall takes a call typed in by an operator: 202 with the code
// to read to the caller.
func handleOperatorCall(log *slog.Logger, ops Operators, sub *submitter) echo.HandlerFunc {
	return func(c echo.Context) error {
		if ops == nil {
			return feedback.Errorf(feedback.ENOTREADY, "Chức năng tổng đài viên chưa được cấu hình.",
				"the operators' API is not configured")
		}
		bearer, ok := bearerToken(c.Request())
		if !ok {
			return feedback.Errorf(feedback.EUNAUTHORIZED, "Vui lòng đăng nhập.", "a bearer token is required")
		}
		op, err := ops.Operator(c.Request().Context(), bearer)
		if err != nil {
			return err
		}
		if err := web.RequireJSON(c.Request()); err != nil {
			return err
		}
		body, err := web.ReadBody(c, feedback.MaxBodyBytes)
		if err != nil {
			return err
		}
		var call operatorCall
		if err := web.DecodeJSON(body, &call); err != nil {
			return err
		}
		it, err := operatorItem(call, time.Now())
		if err != nil {
			return err
		}
		code, err := sub.submit(c.Request().Context(), it)
		if err != nil {
			return err
		}
		log.Info("hotline: call typed in", "key", it.Key, "code", code, "operator", op.Username, "phone", it.Citizen.Phone)
		return c.JSON(http.StatusAccepted, trackingCodeBody{TrackingCode: code})
	}
}

// operatorItem converts the operator's form; Item.Validate (in Submit) checks
// the text, this checks what is the hotline's own.
func operatorItem(call operatorCall, now time.Time) (*feedback.Item, error) {
	if !callRefRe.MatchString(call.CallRef) {
		return nil, feedback.Invalid("call_ref", "Mã cuộc gọi không hợp lệ (chữ, số, . _ : -, tối đa 100 ký tự).",
			"call_ref must be 1 to 100 letters, digits, '.', '_', ':' or '-'")
	}
	phone := feedback.Phone("")
	if p := strings.TrimSpace(call.Phone); p != "" {
		if phone = toPhone(p); phone == "" {
			return nil, feedback.Invalid("phone", "Số điện thoại không hợp lệ.", "invalid phone number")
		}
	}
	return &feedback.Item{
		Key:        feedback.ItemKey(feedback.ChannelHotline, "op:"+call.CallRef),
		Channel:    feedback.ChannelHotline,
		ReceivedAt: now,
		Content:    strings.TrimSpace(call.Content),
		Category:   strings.TrimSpace(call.Category),
		Ward:       strings.TrimSpace(call.Ward),
		Address:    strings.TrimSpace(call.Address),
		Citizen:    feedback.Citizen{Name: strings.TrimSpace(call.Name), Phone: phone},
		Language:   "vi",
	}, nil
}

func bearerToken(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(tok) == "" {
		return "", false
	}
	return strings.TrimSpace(tok), true
}
