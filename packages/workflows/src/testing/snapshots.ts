/** A v2 snapshot for tests: Chicago weekday hours, and a workflow that waits for them to open, then texts. */
export function waitForOpeningSnapshot(slug: string, version = 1): string {
  return `apiVersion: mctb.dev/v2
kind: Snapshot
metadata: { slug: ${slug}, name: Wait for opening, version: ${version} }
customValues:
  - { key: booking_link, name: Booking link, required: true }
businessHours:
  timeZone: America/Chicago
  weekly:
    mon-fri: ["08:00-18:00"]
quietHours: "off"
templates:
  morning: "Good morning from {{ location.name }}! We're open now: {{ custom_values.booking_link }}"
workflows:
  - key: missed_call
    trigger: { type: call.missed, outcomes: [no_answer, voicemail] }
    steps:
      - { id: until_open, wait: { until: business_hours_open } }
      - { id: morning_text, send_sms: morning }
`;
}
