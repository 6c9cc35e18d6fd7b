// Command check is what tests/sdks/sdks.test.ts runs of the Go SDK against a real stack:
//
//	check tail   Tails through HYRELOG_PROXY_ADDRESS (a proxy that cuts the connection once, right
//	             after the first event): ingests an event and sees it arrive, ingests another and
//	             sees it after the tail's own reconnect; then ingests a third and resumes a new tail
//	             from the last token: it must bring the third and nothing before it; a tail from a
//	             token that is no token fails at once (InvalidArgument), one against
//	             HYRELOG_SILENT_ADDRESS (never answers) after its attempts' timeouts.
//	check retry  Ingests one event through HYRELOG_PROXY_ADDRESS, a proxy that loses the first answer
//	             after the server stored the event; the client's retry must find it.
//
// Prints one line per step ("tailed <id> <token>", ...); exits non-zero on any failure.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	apiv1 "github.com/hyrelog/hyrelog/sdks/go/gen/hyrelog/api/v1"
	commonv1 "github.com/hyrelog/hyrelog/sdks/go/gen/hyrelog/common/v1"
	"github.com/hyrelog/hyrelog/sdks/go/hyrelog"
)

var action = os.Getenv("HYRELOG_ACTION")

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var err error
	switch os.Args[1] {
	case "tail":
		err = tail(ctx)
	case "retry":
		err = retry(ctx)
	default:
		err = fmt.Errorf("unknown mode %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
	fmt.Println("ok")
}

func event(i int) *apiv1.EventInput {
	return &apiv1.EventInput{
		Category: "sdk", Action: action, ProjectId: os.Getenv("HYRELOG_PROJECT_ID"),
		Actor:  &commonv1.Actor{Id: "svc-check", Type: "service"},
		Target: &commonv1.Target{Id: fmt.Sprintf("doc-%d", i), Type: "document"},
	}
}

func ingest(ctx context.Context, client *hyrelog.Client, i int) (string, error) {
	res, err := client.Ingest(ctx, event(i))
	if err != nil {
		return "", err
	}
	fmt.Println("ingested", res.Results[0].Id)
	return res.Results[0].Id, nil
}

// errDone ends a tail from its callback once it saw what it waited for.
var errDone = errors.New("done")

func tail(ctx context.Context) error {
	key := os.Getenv("HYRELOG_WORKSPACE_KEY")
	direct, err := hyrelog.New(os.Getenv("HYRELOG_ADDRESS"), key, hyrelog.Options{})
	if err != nil {
		return err
	}
	defer direct.Close()
	proxied, err := hyrelog.New(os.Getenv("HYRELOG_PROXY_ADDRESS"), key, hyrelog.Options{Backoff: 50 * time.Millisecond})
	if err != nil {
		return err
	}
	defer proxied.Close()
	filter := &apiv1.EventFilter{Action: action}

	// Each ingest happens from the callback, so it follows the step before it: the stream's opening,
	// then the first event.
	var ids []string
	var token string
	err = proxied.Tail(ctx, &apiv1.TailEventsRequest{Filter: filter}, func(e *commonv1.AuditEvent, resumeToken string) error {
		if e == nil {
			if len(ids) == 0 {
				fmt.Println("open", resumeToken)
				id, err := ingest(ctx, direct, 0)
				ids = append(ids, id)
				return err
			}
			return nil // The reconnect after the cut.
		}
		fmt.Println("tailed", e.Id, resumeToken)
		token = resumeToken
		if e.Id != ids[len(ids)-1] {
			return fmt.Errorf("tailed %s, expected %s", e.Id, ids[len(ids)-1])
		}
		if len(ids) == 2 {
			return errDone
		}
		id, err := ingest(ctx, direct, 1)
		ids = append(ids, id)
		return err
	})
	if err != errDone {
		return fmt.Errorf("the tail ended before the events came: %w", err)
	}

	third, err := ingest(ctx, direct, 2)
	if err != nil {
		return err
	}
	err = direct.Tail(ctx, &apiv1.TailEventsRequest{Filter: filter, ResumeToken: token}, func(e *commonv1.AuditEvent, resumeToken string) error {
		if e == nil {
			return nil
		}
		fmt.Println("resumed", e.Id, resumeToken)
		if e.Id != third {
			return fmt.Errorf("resumed with %s, expected %s", e.Id, third)
		}
		return errDone
	})
	if err != errDone {
		return fmt.Errorf("the resumed tail ended before the event came: %w", err)
	}

	// A failure that is no passing condition is returned, not retried.
	err = direct.Tail(ctx, &apiv1.TailEventsRequest{ResumeToken: "not-a-token"}, func(*commonv1.AuditEvent, string) error { return nil })
	var e *hyrelog.Error
	if !errors.As(err, &e) {
		return fmt.Errorf("a tail from a token that is no token ended with %v", err)
	}
	fmt.Println("refused", e.Code)

	// A gateway that takes the connection and never answers: each opening gets Timeout, then Tail
	// gives up with DeadlineExceeded after MaxAttempts.
	silent, err := hyrelog.New(os.Getenv("HYRELOG_SILENT_ADDRESS"), key, hyrelog.Options{Timeout: 500 * time.Millisecond, MaxAttempts: 2, Backoff: 50 * time.Millisecond})
	if err != nil {
		return err
	}
	defer silent.Close()
	err = silent.Tail(ctx, &apiv1.TailEventsRequest{}, func(*commonv1.AuditEvent, string) error { return nil })
	if !errors.As(err, &e) {
		return fmt.Errorf("a tail against a server that never answers ended with %v", err)
	}
	fmt.Println("timed out", e.Code)
	return nil
}

func retry(ctx context.Context) error {
	proxied, err := hyrelog.New(os.Getenv("HYRELOG_PROXY_ADDRESS"), os.Getenv("HYRELOG_WORKSPACE_KEY"),
		hyrelog.Options{Backoff: 100 * time.Millisecond, MaxAttempts: 6})
	if err != nil {
		return err
	}
	defer proxied.Close()
	res, err := proxied.Ingest(ctx, event(0))
	if err != nil {
		return err
	}
	fmt.Printf("ingested %s duplicate=%t\n", res.Results[0].Id, res.Results[0].Duplicate)
	return nil
}
