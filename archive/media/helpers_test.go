package media

import (
	"crypto/sha256"
	"encoding/hex"
)

func memSHA(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
