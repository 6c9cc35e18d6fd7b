// Command example ingests a batch of events, lists them back, fetches an inclusion proof for one,
// counts them by action for the day and lists the archives, against the gateway at HYRELOG_ADDRESS (or HYRELOG_URL) with HYRELOG_WORKSPACE_KEY, into
// HYRELOG_PROJECT_ID. Prints what it did; exits non-zero on any failure.
package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/timestamppb"

	apiv1 "github.com/hyrelog/hyrelog/sdks/go/gen/hyrelog/api/v1"
	commonv1 "github.com/hyrelog/hyrelog/sdks/go/gen/hyrelog/common/v1"
	"github.com/hyrelog/hyrelog/sdks/go/hyrelog"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		if e, ok := err.(*hyrelog.Error); ok && e.Code == codes.InvalidArgument {
			for _, v := range e.Violations {
				fmt.Fprintf(os.Stderr, "  %s: %s\n", v.Field, v.Description)
			}
		}
		os.Exit(1)
	}
}

func run() error {
	address := os.Getenv("HYRELOG_ADDRESS")
	if address == "" {
		address = os.Getenv("HYRELOG_URL")
	}
	client, err := hyrelog.New(address, os.Getenv("HYRELOG_WORKSPACE_KEY"), hyrelog.Options{})
	if err != nil {
		return err
	}
	defer client.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	suffix := make([]byte, 4)
	if _, err := rand.Read(suffix); err != nil {
		return err
	}
	action := fmt.Sprintf("sdk.go.%x", suffix)
	// Sent with the events, so the day counted below is theirs even just before midnight UTC.
	occurredAt := time.Now().UTC()
	var batch []*apiv1.EventInput
	for i := 0; i < 3; i++ {
		batch = append(batch, &apiv1.EventInput{
			Category:   "user",
			Action:     action,
			ProjectId:  os.Getenv("HYRELOG_PROJECT_ID"),
			OccurredAt: timestamppb.New(occurredAt),
			Actor:      &commonv1.Actor{Id: "svc-billing", Type: "service"},
			Target:     &commonv1.Target{Id: fmt.Sprintf("user-%d", i), Type: "user"},
		})
	}
	ingested, err := client.Ingest(ctx, batch...)
	if err != nil {
		return err
	}
	var ids []string
	for _, r := range ingested.Results {
		ids = append(ids, r.Id)
		fmt.Printf("ingested %s sequence=%d\n", r.Id, r.Chain.GetSequence())
	}

	// Two events a page, so the pager follows a cursor.
	var listed []string
	pages := client.ListEventPages(&apiv1.ListEventsRequest{Filter: &apiv1.EventFilter{Action: action}, Limit: 2})
	for pages.Next(ctx) {
		for _, e := range pages.Page().Events {
			listed = append(listed, e.Id)
		}
	}
	if err := pages.Err(); err != nil {
		return err
	}
	fmt.Printf("listed %d events with action %s\n", len(listed), action)
	sort.Strings(ids)
	sort.Strings(listed)
	if fmt.Sprint(ids) != fmt.Sprint(listed) {
		return fmt.Errorf("listed %v, expected %v", listed, ids)
	}

	last := ingested.Results[len(ingested.Results)-1]
	proof, err := client.InclusionProof(ctx, last.Id, 0, 30*time.Second)
	if err != nil {
		return err
	}
	fmt.Printf("proof %s leaf_index=%d tree_size=%d root=%s hashes=%d\n", proof.EventId, proof.LeafIndex, proof.TreeSize, proof.RootHash, len(proof.Proof))
	if proof.Leaf != last.Chain.GetHash() {
		return fmt.Errorf("the proof's leaf is not the event's chain hash")
	}

	// The day's events of this action, by action. The counts follow ingest within about a second:
	// ask again while events already stored are not counted yet.
	day := occurredAt.Truncate(24 * time.Hour)
	countReq := &apiv1.CountEventsRequest{
		Filter:   &apiv1.EventFilter{Action: action, From: timestamppb.New(day), To: timestamppb.New(day.Add(24 * time.Hour))},
		Interval: apiv1.AnalyticsInterval_ANALYTICS_INTERVAL_DAY,
		GroupBy:  apiv1.AnalyticsGroupBy_ANALYTICS_GROUP_BY_ACTION,
	}
	var counts *apiv1.CountEventsResponse
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		if counts, err = client.CountEvents(ctx, countReq); err != nil {
			return err
		}
		if counts.PendingEvents == 0 || time.Now().After(deadline) {
			break
		}
	}
	var groups []string
	for _, g := range counts.Groups {
		groups = append(groups, fmt.Sprintf("%s:%d", g.GetKey(), g.Count))
	}
	fmt.Printf("counted total=%d buckets=%d groups=%s\n", counts.Total, len(counts.Buckets), strings.Join(groups, ","))
	if counts.Total != uint64(len(ids)) || strings.Join(groups, ",") != fmt.Sprintf("%s:%d", action, len(ids)) {
		return fmt.Errorf("expected %d events, all in the group %s", len(ids), action)
	}

	// Archives hold events past hot retention: none on a fresh stack.
	archived := 0
	archives := client.ListArchivePages(&apiv1.ListArchivesRequest{Limit: 10})
	for archives.Next(ctx) {
		archived += len(archives.Page().Archives)
	}
	if err := archives.Err(); err != nil {
		return err
	}
	fmt.Printf("archives listed=%d\n", archived)
	const unknown = "0190f0c0-0000-7000-8000-000000000000" // no archive has it
	_, err = client.GetArchive(ctx, unknown)
	e, ok := err.(*hyrelog.Error)
	if !ok || e.Code != codes.NotFound {
		return fmt.Errorf("GetArchive(%s): want a NotFound *hyrelog.Error, got %v", unknown, err)
	}
	fmt.Printf("archive %s not found code=%s\n", unknown, e.Code)
	fmt.Println("ok")
	return nil
}
