package rsp

import (
	"bufio"
	"fmt"
	"io"
)

// Kind tells what a received Item is.
type Kind uint8

const (
	KindPacket       Kind = iota // $payload#xx
	KindNotification             // %payload#xx
	KindAck                      // +
	KindNak                      // -
	KindInterrupt                // 0x03
)

func (k Kind) String() string {
	switch k {
	case KindPacket:
		return "packet"
	case KindNotification:
		return "notification"
	case KindAck:
		return "ack"
	case KindNak:
		return "nak"
	case KindInterrupt:
		return "interrupt"
	}
	return fmt.Sprintf("kind(%d)", k)
}

// Item is one unit received from the wire.
type Item struct {
	Kind    Kind
	Payload []byte // packets and notifications: as framed (escaped, RLE-encoded)
	Raw     []byte // the exact bytes consumed, including any skipped noise
}

// Decoder splits a byte stream into Items. Bytes outside frames other than
// '+', '-' and 0x03 are skipped as line noise.
type Decoder struct {
	r   *bufio.Reader
	raw []byte
}

// NewDecoder returns a Decoder reading from r.
func NewDecoder(r io.Reader) *Decoder {
	return &Decoder{r: bufio.NewReaderSize(r, 64<<10)}
}

// Next returns the next item. A frame with a wrong checksum yields a
// *ChecksumError (the stream stays in sync; a peer in ack mode should answer
// with a nak). An oversized frame yields ErrTooLong after it was skipped.
// io.EOF means the stream ended cleanly between items.
func (d *Decoder) Next() (Item, error) {
	d.raw = d.raw[:0]
	for {
		b, err := d.r.ReadByte()
		if err != nil {
			if err == io.EOF && len(d.raw) > 0 {
				err = io.ErrUnexpectedEOF
			}
			return Item{}, err
		}
		d.raw = append(d.raw, b)
		switch b {
		case Ack:
			return d.item(KindAck, nil), nil
		case Nak:
			return d.item(KindNak, nil), nil
		case Interrupt:
			return d.item(KindInterrupt, nil), nil
		case StartPacket:
			return d.frame(KindPacket)
		case StartNotification:
			return d.frame(KindNotification)
		}
	}
}

// Consumed returns the bytes the last Next call consumed from the stream,
// whether it succeeded or not (a proxy forwards them unchanged). Frames
// over MaxPayload are not kept in full. The slice is valid until the next
// call.
func (d *Decoder) Consumed() []byte { return d.raw }

func (d *Decoder) item(k Kind, payload []byte) Item {
	return Item{Kind: k, Payload: payload, Raw: append([]byte(nil), d.raw...)}
}

// frame reads the rest of a frame after its start byte.
func (d *Decoder) frame(k Kind) (Item, error) {
	start := len(d.raw)
	tooLong := false
	for {
		b, err := d.r.ReadByte()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return Item{}, fmt.Errorf("rsp: reading %v: %w", k, err)
		}
		if b == EndPacket {
			break
		}
		if b == StartPacket {
			// A raw '$' never occurs inside a payload (binary data escapes
			// it): the previous frame lost its end. Start over, as gdb does.
			d.raw = append(d.raw, b)
			start, k, tooLong = len(d.raw), KindPacket, false
			continue
		}
		if len(d.raw)-start >= MaxPayload {
			tooLong = true // keep reading to stay in sync, drop the bytes
			continue
		}
		d.raw = append(d.raw, b)
	}
	payload := append([]byte(nil), d.raw[start:]...)
	var cs [2]byte
	if _, err := io.ReadFull(d.r, cs[:]); err != nil {
		return Item{}, fmt.Errorf("rsp: reading checksum: %w", io.ErrUnexpectedEOF)
	}
	d.raw = append(d.raw, EndPacket, cs[0], cs[1])
	if tooLong {
		return Item{}, fmt.Errorf("%w: more than %d bytes", ErrTooLong, MaxPayload)
	}
	got, ok := parseHexByte(cs[0], cs[1])
	if !ok {
		return Item{}, &ChecksumError{Payload: payload, Got: got, Sum: Checksum(payload)}
	}
	if sum := Checksum(payload); sum != got {
		return Item{}, &ChecksumError{Payload: payload, Got: got, Sum: sum}
	}
	return d.item(k, payload), nil
}
