package website

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/nats-io/nats.go/jetstream"

	"pakn.local/services/internal/feedback"
)

// UploadsBucket is the JetStream object store that keeps citizens' photos.
// NATS is shared by every PAKN process already, and photos are read back
// often (officials open them), which MongoDB here does slowly.
const UploadsBucket = "pakn_uploads"

// Uploads keeps photos in the object store. It implements Files.
type Uploads struct {
	obs jetstream.ObjectStore
}

// OpenUploads creates or updates the bucket; replicas is 1 for the embedded
// server and 3 on a cluster.
func OpenUploads(ctx context.Context, js jetstream.JetStream, replicas int) (*Uploads, error) {
	if replicas < 1 {
		return nil, fmt.Errorf("%w: replicas %d", ErrInvalidConfig, replicas)
	}
	obs, err := js.CreateOrUpdateObjectStore(ctx, jetstream.ObjectStoreConfig{
		Bucket:      UploadsBucket,
		Description: "citizens' photos from the website form, named by an unguessable id",
		Storage:     jetstream.FileStorage,
		Replicas:    replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("website: object store %s: %w", UploadsBucket, err)
	}
	return &Uploads{obs: obs}, nil
}

// Put stores a photo under id; storing the same id again replaces it with
// the same bytes (ids are derived from the content).
func (u *Uploads) Put(ctx context.Context, id, contentType string, data []byte) error {
	_, err := u.obs.Put(ctx, jetstream.ObjectMeta{
		Name:     id,
		Metadata: map[string]string{"content-type": contentType},
	}, bytes.NewReader(data))
	if err != nil {
		return feedback.Unavailable(fmt.Errorf("website: store photo: %w", err))
	}
	return nil
}

// Open returns a stored photo; the caller closes it.
func (u *Uploads) Open(ctx context.Context, id string) (io.ReadCloser, string, int64, error) {
	res, err := u.obs.Get(ctx, id)
	if errors.Is(err, jetstream.ErrObjectNotFound) {
		return nil, "", 0, errNoFile
	}
	if err != nil {
		return nil, "", 0, feedback.Unavailable(fmt.Errorf("website: read photo: %w", err))
	}
	info, err := res.Info()
	if err != nil {
		_ = res.Close()
		return nil, "", 0, feedback.Unavailable(fmt.Errorf("website: read photo: %w", err))
	}
	return res, info.Metadata["content-type"], int64(info.Size), nil
}

var errNoFile = feedback.Errorf(feedback.ENOTFOUND, "Không tìm thấy tệp.", "No such file.")

// photoIDBytes is the length of a photo id before hex: 128 bits, so that
// nobody finds a photo they were not given the link to.
const photoIDBytes = 16

// photoID names a photo after the form it came with and its bytes, keyed
// by the server's secret: unguessable, and the same again when the same
// form is sent twice, so a resubmission rewrites rather than adds photos.
func photoID(secret []byte, nonce string, data []byte) string {
	sum := sha256.Sum256(data)
	h := hmac.New(sha256.New, secret)
	h.Write([]byte("pakn website photo v1\x00"))
	h.Write([]byte(nonce))
	h.Write(sum[:])
	return hex.EncodeToString(h.Sum(nil)[:photoIDBytes])
}

func validPhotoID(id string) bool {
	if len(id) != 2*photoIDBytes {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// handleFile serves a photo back with the type sniffed at upload, never
// sniffed again by the browser, in a sandbox, and cached for long: an id
// always names the same bytes.
func handleFile(files Files) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Param("id")
		if !validPhotoID(id) {
			return errNoFile
		}
		etag := `"` + id + `"`
		h := c.Response().Header()
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
		h.Set("ETag", etag)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
		if c.Request().Header.Get("If-None-Match") == etag {
			return c.NoContent(http.StatusNotModified)
		}
		body, ct, size, err := files.Open(c.Request().Context(), id)
		if err != nil {
			h.Del("Cache-Control")
			h.Del("ETag")
			return err
		}
		defer body.Close()
		if !acceptedImage(ct) {
			ct = "application/octet-stream"
		}
		h.Set("Content-Type", ct)
		h.Set("Content-Disposition", "inline")
		h.Set("Content-Length", strconv.FormatInt(size, 10))
		c.Response().WriteHeader(http.StatusOK)
		if c.Request().Method == http.MethodHead {
			return nil
		}
		_, err = io.Copy(c.Response(), body)
		return err // the status is out; the error only reaches the log
	}
}
