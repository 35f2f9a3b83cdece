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

/** A v2 snapshot whose missed-call workflow tags the caller, with workflows on that tag and on received texts. */
export function triggersSnapshot(): string {
  return `apiVersion: mctb.dev/v2
kind: Snapshot
metadata: { slug: triggers, name: Texts and tags, version: 1 }
customValues:
  - { key: booking_link, name: Booking link, required: true }
quietHours: "off"
templates:
  first_text: "Sorry we missed you at {{ location.name }}!"
  auto_reply: "Thanks for your text, {{ contact.first_name | default: 'friend' }}! {{ location.name }} will answer shortly."
  welcome: "Welcome to {{ location.name }}! Book any time: {{ custom_values.booking_link }}"
workflows:
  - key: missed_call
    trigger: { type: call.missed, outcomes: [no_answer] }
    steps:
      - { id: first_text, send_sms: first_text }
      - { id: tag_lead, add_tag: lead }
  - key: welcome_leads
    trigger: { type: contact.tagged, tag: lead }
    steps:
      - { id: welcome, send_sms: welcome }
  - key: auto_reply
    trigger: { type: message.received }
    dedup: { per: contact, window: 1h }
    steps:
      - { id: reply, send_sms: auto_reply }
`;
}
