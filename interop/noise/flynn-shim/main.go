// Command flynn-shim is the SecureComms Noise interop shim over Go's github.com/flynn/noise (Debian's
// golang-github-flynn-noise-dev). It speaks the JSON-lines protocol of interop/noise/README.md on
// stdin/stdout: one request per line, one reply per line, the request's "id" echoed. Keys, payloads and
// messages travel as lowercase hex. Key material is test-only and never written to stderr.
//
// Build offline: GO111MODULE=off GOPATH=/usr/share/gocode go build -o flynn-shim .
package main

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/flynn/noise"
)

// maxLineBytes bounds one request line: a 65535-byte Noise message in hex plus the JSON around it.
const maxLineBytes = 2*65535 + 4096

type request struct {
	ID            json.RawMessage `json:"id"`
	Op            string          `json:"op"`
	Protocol      string          `json:"protocol"`
	Role          string          `json:"role"`
	StaticPrivate string          `json:"staticPrivate"`
	RemoteStatic  string          `json:"remoteStatic"`
	Prologue      string          `json:"prologue"`
	Payload       string          `json:"payload"`
	Message       string          `json:"message"`
}

// party is one Noise party: the handshake while it runs, then the two transport CipherStates.
type party struct {
	hs        *noise.HandshakeState
	send      *noise.CipherState
	receive   *noise.CipherState
	initiator bool
}

var patterns = map[string]noise.HandshakePattern{
	"Noise_XX_25519_AESGCM_SHA256": noise.HandshakeXX,
	"Noise_IK_25519_AESGCM_SHA256": noise.HandshakeIK,
}

func (p *party) start(r request) error {
	pattern, ok := patterns[r.Protocol]
	if !ok {
		return fmt.Errorf("unsupported protocol %s", r.Protocol)
	}
	private, err := hex.DecodeString(r.StaticPrivate)
	if err != nil || len(private) != 32 {
		return errors.New("staticPrivate must be 32 bytes of hex")
	}
	// DH25519.GenerateKeypair reads the private key from the reader and computes its public key.
	static, err := noise.DH25519.GenerateKeypair(bytes.NewReader(private))
	if err != nil {
		return err
	}
	remote, err := hex.DecodeString(r.RemoteStatic)
	if err != nil {
		return err
	}
	prologue, err := hex.DecodeString(r.Prologue)
	if err != nil {
		return err
	}
	*p = party{initiator: r.Role == "initiator"}
	p.hs, err = noise.NewHandshakeState(noise.Config{
		CipherSuite:   noise.NewCipherSuite(noise.DH25519, noise.CipherAESGCM, noise.HashSHA256),
		Pattern:       pattern,
		Initiator:     p.initiator,
		Prologue:      prologue,
		StaticKeypair: static,
		PeerStatic:    remote,
	})
	return err
}

// complete records the transport CipherStates when a handshake message was the last one.
func (p *party) complete(reply map[string]interface{}, c1, c2 *noise.CipherState) {
	if c1 == nil {
		reply["complete"] = false
		return
	}
	if p.initiator {
		p.send, p.receive = c1, c2
	} else {
		p.send, p.receive = c2, c1
	}
	reply["complete"] = true
	reply["handshakeHash"] = hex.EncodeToString(p.hs.ChannelBinding())
	reply["remoteStatic"] = hex.EncodeToString(p.hs.PeerStatic())
}

func (p *party) handle(r request, reply map[string]interface{}) error {
	switch r.Op {
	case "start":
		return p.start(r)
	case "write", "read":
		if p.hs == nil || p.send != nil {
			return errors.New("no handshake in progress")
		}
		input := r.Payload
		if r.Op == "read" {
			input = r.Message
		}
		data, err := hex.DecodeString(input)
		if err != nil {
			return err
		}
		var out []byte
		var c1, c2 *noise.CipherState
		if r.Op == "write" {
			out, c1, c2, err = p.hs.WriteMessage(nil, data)
		} else {
			out, c1, c2, err = p.hs.ReadMessage(nil, data)
		}
		if err != nil {
			p.hs = nil // a refused message ends the handshake, as in the spec
			return err
		}
		if r.Op == "write" {
			reply["message"] = hex.EncodeToString(out)
		} else {
			reply["payload"] = hex.EncodeToString(out)
		}
		p.complete(reply, c1, c2)
		return nil
	case "encrypt", "decrypt":
		if p.send == nil {
			return errors.New("handshake not complete")
		}
		if r.Op == "encrypt" {
			data, err := hex.DecodeString(r.Payload)
			if err != nil {
				return err
			}
			out, err := p.send.Encrypt(nil, nil, data)
			reply["message"] = hex.EncodeToString(out)
			return err
		}
		data, err := hex.DecodeString(r.Message)
		if err != nil {
			return err
		}
		out, err := p.receive.Decrypt(nil, nil, data)
		reply["payload"] = hex.EncodeToString(out)
		return err
	default:
		return fmt.Errorf("unknown op %s", r.Op)
	}
}

func main() {
	scanner := bufio.NewScanner(os.Stdin)
	scanner.Buffer(make([]byte, 64*1024), maxLineBytes)
	writer := bufio.NewWriter(os.Stdout)
	var p party
	for scanner.Scan() {
		line := bytes.TrimSpace(scanner.Bytes())
		if len(line) == 0 {
			continue
		}
		var r request
		reply := map[string]interface{}{}
		err := json.Unmarshal(line, &r)
		if err == nil {
			err = p.handle(r, reply)
		}
		if r.ID != nil {
			reply["id"] = r.ID
		}
		if err != nil {
			reply = map[string]interface{}{"id": r.ID, "ok": false, "error": err.Error()}
		} else {
			reply["ok"] = true
		}
		encoded, _ := json.Marshal(reply)
		writer.Write(append(encoded, '\n'))
		writer.Flush()
	}
}
