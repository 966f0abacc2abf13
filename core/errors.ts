/**
 * The one table of Sortline error codes, in the manner of fastify's `lib/errors.js`.
 *
 * Every error Sortline reports to a user carries a stable code `SORTLINE_ERR_<AREA>_<WHAT>`.
 * Codes are never renamed or reused once released; `docs/errors.md` is generated from this table
 * (`npm run docs:errors`) and a test keeps the two in step.
 *
 * Hot paths (label resolution, plan lookup) do not throw: they return small integer fault ids that
 * map to these codes at the API edge. Everything else throws {@link SortlineError}.
 *
 * Pure: no `node:` imports (core must also run in a browser).
 */

/** One row of the table: which part of Sortline raises it and what it means for the user. */
export interface ErrorDoc {
  /** The layer or feature that raises it: `cli`, `scenario`, `plan`, `label`, `protocol`, ... */
  readonly area: string;
  /** What went wrong and what the user should do, one or two sentences (Markdown). */
  readonly doc: string;
}

/**
 * The table. Keep each area's rows together, in the order they were added.
 * Keys are the stable codes; `area` and `doc` may be reworded.
 */
export const ERRORS = {
  // ---- cli / files ------------------------------------------------------------------------------
  SORTLINE_ERR_USAGE: {
    area: 'cli',
    doc: 'A command-line argument or option is missing or malformed; the message names it and what was expected. Exit code 2.',
  },
  SORTLINE_ERR_FILE_READ: {
    area: 'cli',
    doc: 'A file named on the command line or in a configuration could not be read (missing, a directory, no permission); the message gives the path and the system error.',
  },
  SORTLINE_ERR_JSON_SYNTAX: {
    area: 'cli',
    doc: 'A JSON file is not valid JSON; the message gives the path, line and column.',
  },
  SORTLINE_ERR_FILE_WRITE: {
    area: 'cli',
    doc: 'An output file (JSON or HTML report, CSV export) could not be written; the message gives the path and the system error.',
  },
  SORTLINE_ERR_SET_PATH: {
    area: 'cli',
    doc: 'A `--set path=value` override is malformed or names no value of the document; the message gives the path as a JSON pointer.',
  },

  // ---- scenario (sim/) --------------------------------------------------------------------------
  SORTLINE_ERR_SCENARIO_INVALID: {
    area: 'scenario',
    doc: 'The scenario failed validation; `details` lists every fault with its JSON pointer (unknown key, wrong type, out-of-range value, an induct and a chute at the same position, a plan naming a chute that does not exist). Nothing is simulated.',
  },

  // ---- sort plan (core/plan) --------------------------------------------------------------------
  SORTLINE_ERR_PLAN_INVALID: {
    area: 'plan',
    doc: 'The sort plan failed validation as a whole; `details` lists every fault with its JSON pointer. A plan that fails is never activated; the active plan stays.',
  },
  SORTLINE_ERR_PLAN_MACHINE_MISMATCH: {
    area: 'plan',
    doc: "A compiled sort plan was handed to a machine whose chute table differs from the chute list the plan was compiled against (other chute ids, order or count); the message names the first difference. Compile the plan with the machine's chute ids. The active plan stays.",
  },

  // ---- labels (core/labels) ---------------------------------------------------------------------
  SORTLINE_ERR_LABEL_EMPTY: {
    area: 'label',
    doc: "A read holds no data after its symbology identifier, or GS1 data holds no element string. The parcel's other reads still count; with none valid it goes to the no-read chute.",
  },
  SORTLINE_ERR_LABEL_SYMBOLOGY: {
    area: 'label',
    doc: 'The read starts with `]` but is not a known ISO/IEC 15424 (AIM) symbology identifier, or the scanner is configured to send one (`aim: "expected"`) and did not.',
  },
  SORTLINE_ERR_LABEL_CHARACTER: {
    area: 'label',
    doc: "A character is outside the field's set: digits for `N` fields, GS1 CSET 82 for `X`, CSET 39 for `Y`, CSET 64 for `Z` (GS1 General Specifications §7.11); in plain text a character no read can hold (NUL, U+FFFD, an unpaired surrogate); in `sortline resolve` input, bytes that are not UTF-8. `offset` points at it.",
  },
  SORTLINE_ERR_LABEL_UNKNOWN_AI: {
    area: 'label',
    doc: 'The digits at `offset` are not a GS1 Application Identifier of the GS1 Barcode Syntax Dictionary (or the data ends inside one).',
  },
  SORTLINE_ERR_LABEL_TOO_SHORT: {
    area: 'label',
    doc: 'A value is shorter than its AI or identifier scheme requires (for example an SSCC of 17 digits, or a pre-defined length value cut by a separator).',
  },
  SORTLINE_ERR_LABEL_TOO_LONG: {
    area: 'label',
    doc: 'A value is longer than its AI allows. Sortline never cuts a value to fit: a variable-length value that runs into the next AI because the FNC1 separator is missing is this error.',
  },
  SORTLINE_ERR_LABEL_CHECK_DIGIT: {
    area: 'label',
    doc: "A check digit does not match: GS1 modulo 10 (SSCC, GTIN, GLN, GSIN, ...), the GS1 alphanumeric check pair, UPU S10, UPS 1Z, USPS, FedEx or DHL. A read with a bad check digit is dropped, never taken for another carrier's number.",
  },
  SORTLINE_ERR_LABEL_COUNTRY: {
    area: 'label',
    doc: 'A country code is not an assigned ISO 3166-1 code (numeric in AI (421) and others, alpha-2 in S10 identifiers and AI (4307)).',
  },
  SORTLINE_ERR_LABEL_DATE: {
    area: 'label',
    doc: 'A date or time field is not a calendar date (YYMMDD, day 00 only where the AI allows it) or a time of day.',
  },
  SORTLINE_ERR_LABEL_VALUE: {
    area: 'label',
    doc: 'A value breaks another rule of its AI in the GS1 Barcode Syntax Dictionary (yes/no flag, piece of total, percent-encoding, currency, company prefix, ...); the message names the rule.',
  },
  SORTLINE_ERR_LABEL_EXCLUSIVE: {
    area: 'label',
    doc: 'Two AIs that must not appear together in one read (GS1 invalid pairs, for example (420) with (421), or two net weights (310n)).',
  },
  SORTLINE_ERR_LABEL_REQUIRED: {
    area: 'label',
    doc: 'An AI appears without the AI it requires (GS1 mandatory associations, for example (403) needs (00)). The parcel router evaluates this over all GS1 reads of the parcel.',
  },
  SORTLINE_ERR_LABEL_DUPLICATE_AI: {
    area: 'label',
    doc: 'The same AI appears twice in a read with different values.',
  },
  SORTLINE_ERR_LABEL_EPC_FORMAT: {
    area: 'label',
    doc: 'RFID data is not an EPC of 96 bits written as 24 hexadecimal digits.',
  },
  SORTLINE_ERR_LABEL_EPC_HEADER: {
    area: 'label',
    doc: 'The EPC header is not SGTIN-96 (0x30) or SSCC-96 (0x31), the schemes Sortline resolves (GS1 EPC Tag Data Standard).',
  },
  SORTLINE_ERR_LABEL_EPC_PARTITION: {
    area: 'label',
    doc: 'The EPC partition value is 7, which the GS1 EPC Tag Data Standard leaves undefined.',
  },
  SORTLINE_ERR_LABEL_EPC_FILTER: {
    area: 'label',
    doc: 'The EPC filter value is not one the resolver configuration accepts (`epcFilters`).',
  },
  SORTLINE_ERR_LABEL_EPC_RESERVED: {
    area: 'label',
    doc: 'The 24 reserved bits at the end of an SSCC-96 EPC are not zero.',
  },
  SORTLINE_ERR_LABEL_EPC_VALUE: {
    area: 'label',
    doc: 'An EPC field (company prefix, item or serial reference) holds more decimal digits than its partition allows.',
  },
  SORTLINE_ERR_LABEL_DIGITAL_LINK: {
    area: 'label',
    doc: 'A GS1 Digital Link URI breaks the URI syntax (primary key without value, qualifiers out of order, an AI not allowed as a query attribute, a malformed percent escape).',
  },
  SORTLINE_ERR_LABEL_READ_TOO_LONG: {
    area: 'label',
    doc: 'A read is longer than 4,096 characters (or holds more than 128 element strings); it is rejected without being parsed.',
  },
  SORTLINE_ERR_LABEL_CONFIG: {
    area: 'label',
    doc: 'A label resolver configuration (scanner profiles and code ids, scanner numbers, e-waybill patterns and their counts, routing-code and manual postal-code settings, key priority) is malformed; `details` lists every fault with its JSON pointer and what was expected.',
  },
  SORTLINE_ERR_LABEL_READ_OBJECT: {
    area: 'label',
    doc: 'A `sortline resolve --jsonl` line is JSON but not a read `{"source":"scanner"|"rfid"|"manual","data":"...","scanner":0}`: not an object, `data` missing or not a string, another `source`, a `scanner` that is not an integer 0-65535, or an unknown key. The message names the key, `offset` points at it in the line; the line is not routed and the command goes on.',
  },

  // ---- protocol (core/protocol) -----------------------------------------------------------------
  SORTLINE_ERR_PROTOCOL_GARBAGE: {
    area: 'protocol',
    doc: "Bytes that cannot start a frame were skipped while looking for the next one (native: no magic `C1 53`; telegram: bytes outside STX…ETX). The fault gives the stream offset; the decoder resynchronises on its own. Check the peer's dialect and line settings.",
  },
  SORTLINE_ERR_PROTOCOL_HEADER_CHECKSUM: {
    area: 'protocol',
    doc: 'A native frame header failed its CRC-32, so none of its fields can be trusted; the decoder skips one byte and resynchronises. The peer resends after its timeout. Frequent faults point at a noisy line or a wrong CRC implementation (docs/protocol.md has a worked example).',
  },
  SORTLINE_ERR_PROTOCOL_CHECKSUM: {
    area: 'protocol',
    doc: 'A frame body failed its checksum (native: body CRC-32; telegram: BCC). The frame is dropped; a native frame with an intact header is NAKed with reason `checksum` so the peer resends it at once.',
  },
  SORTLINE_ERR_PROTOCOL_BAD_VERSION: {
    area: 'protocol',
    doc: 'A native frame carries a protocol version this build does not speak (it speaks version 1). The frame is skipped and NAKed with reason `unsupported`.',
  },
  SORTLINE_ERR_PROTOCOL_BAD_HEADER: {
    area: 'protocol',
    doc: 'A frame header field is malformed: native reserved flag bits or the reserved byte are not zero; telegram sequence, flag or timestamp are not digits; NDJSON `seq`, `ack` or `ts` missing or of the wrong type. The message names the field.',
  },
  SORTLINE_ERR_PROTOCOL_LENGTH_OVER_LIMIT: {
    area: 'protocol',
    doc: "A frame, telegram or line is longer than the decoder's limit (`maxFrameBytes`). It is skipped without being buffered and the decoder resynchronises; raise the limit only if the peer really sends such frames.",
  },
  SORTLINE_ERR_PROTOCOL_BAD_LENGTH: {
    area: 'protocol',
    doc: 'A telegram between STX and ETX does not have the fixed length of its message type (docs/protocol.md gives every layout). The telegram is skipped.',
  },
  SORTLINE_ERR_PROTOCOL_UNKNOWN_TYPE: {
    area: 'protocol',
    doc: 'A frame names a message type this build does not know. The frame is skipped and, when its sequence number is known, NAKed with reason `unsupported`.',
  },
  SORTLINE_ERR_PROTOCOL_TRUNCATED: {
    area: 'protocol',
    doc: "A frame was cut short: a telegram's STX came before the previous telegram's ETX, or the stream ended in the middle of a frame. The partial frame is dropped.",
  },
  SORTLINE_ERR_PROTOCOL_BAD_BODY: {
    area: 'protocol',
    doc: 'A frame body cannot be decoded: invalid MessagePack or JSON, invalid UTF-8, trailing bytes, or not a map/object. The frame is skipped and NAKed with reason `malformed` when its sequence number is known.',
  },
  SORTLINE_ERR_PROTOCOL_BAD_FIELD: {
    area: 'protocol',
    doc: 'A message field is missing, unknown, of the wrong type or out of range (docs/protocol.md lists every field with its limits); the message names the field and what was expected. The frame is skipped and NAKed with reason `malformed` when its sequence number is known.',
  },
  SORTLINE_ERR_PROTOCOL_ENCODE_INVALID: {
    area: 'protocol',
    doc: "A message or frame header handed to a codec's `encode` is outside the dialect's limits (for example a read longer than a telegram slot, or a sequence number above the dialect's maximum); the message names the field. Nothing is sent.",
  },
  SORTLINE_ERR_PROTOCOL_UNKNOWN_DIALECT: {
    area: 'protocol',
    doc: 'A dialect name (`--dialect`) is not one of `native`, `telegram`, `ndjson`.',
  },
  SORTLINE_ERR_PROTOCOL_BAD_OPTION: {
    area: 'protocol',
    doc: 'A decoder option is out of range (for example `maxFrameBytes` below the smallest frame of the dialect); the message names the option and the allowed range.',
  },

  // ---- controller -------------------------------------------------------------------------------
  // controller/transport (docs/transports.md)
  SORTLINE_ERR_TRANSPORT_BAD_URL: {
    area: 'transport',
    doc: 'A gateway address is not one of `tcp://HOST:PORT`, `ws://HOST:PORT[/path]`, a serial device path (`/dev/ttyUSB0`) or `serial:///dev/ttyUSB0?baudRate=115200`; the message names the part that is wrong and what was expected (docs/transports.md).',
  },
  SORTLINE_ERR_TRANSPORT_BAD_OPTION: {
    area: 'transport',
    doc: 'A transport option (keepalive, timeouts, WebSocket message limit) is out of range; the message names the option and the allowed range.',
  },
  SORTLINE_ERR_TRANSPORT_LISTEN: {
    area: 'transport',
    doc: 'The controller could not listen on the gateway address (address in use, no permission, no such interface) or could not open the serial device; the message gives the address and the system error.',
  },
  SORTLINE_ERR_TRANSPORT_CONNECT: {
    area: 'transport',
    doc: 'A connection to the gateway address failed (refused, timed out, WebSocket handshake refused, serial device missing or busy); the message gives the address and the system error. Session clients retry with backoff.',
  },
  SORTLINE_ERR_TRANSPORT_TEXT_MESSAGE: {
    area: 'transport',
    doc: 'A WebSocket peer sent a text message; gateway frames travel in binary messages only. The message is dropped and counted as a fault; the connection stays open.',
  },
  // controller/session (docs/transports.md "Sessions")
  SORTLINE_ERR_TRANSPORT_PEER_REFUSED: {
    area: 'transport',
    doc: "A connection came from an address not on the gateway's allow-list (`gateway.allow`), or the listener already held `maxConnections`: it was closed at accept, before a byte of it was read; logged and counted. Add the PLC's address to `gateway.allow` if it is yours.",
  },
  SORTLINE_ERR_TRANSPORT_ORIGIN_REFUSED: {
    area: 'transport',
    doc: 'A WebSocket handshake carried an `Origin` header (it came from a web page) not listed in `gateway.allowOrigins`: refused with HTTP 403, so no page in a browser on the network can reach the gateway (RFC 6455 §10.2). PLC gateways send no Origin.',
  },
  SORTLINE_ERR_TRANSPORT_TLS: {
    area: 'transport',
    doc: 'A `tls://` or `wss://` listener has no certificate and key (`gateway.tls.certFile`, `keyFile`), or they cannot be used (not PEM, key not matching the certificate); the message gives the reason. Nothing is started.',
  },
  SORTLINE_ERR_SESSION_BAD_OPTION: {
    area: 'session',
    doc: 'A session option is out of range (for example `maxResends` negative or `duplicateWindow` smaller than `maxInFlight`); the message names the option and the allowed range.',
  },
  SORTLINE_ERR_SESSION_CLOSED: {
    area: 'session',
    doc: 'A message was handed to a session, or a link attached to it, after `close()` finished. Nothing is sent.',
  },
  SORTLINE_ERR_SESSION_NO_ACK: {
    area: 'session',
    doc: 'A frame stayed unacknowledged after its resends (default 3, 300 ms apart): the link is declared dead and closed. A client reconnects; unacknowledged frames are resent after the next link sync.',
  },
  SORTLINE_ERR_SESSION_IDLE_TIMEOUT: {
    area: 'session',
    doc: 'Nothing valid was received for the idle timeout (default 30 s, six missed heartbeats): the link is taken for dead (this catches half-open sockets) and closed. A client reconnects.',
  },
  SORTLINE_ERR_SESSION_REJECTED: {
    area: 'session',
    doc: 'The peer answered one of our frames with a NAK whose reason forbids resending (`unsupported`, `malformed`, `tooLarge`): the message is dropped. The peer does not accept what we send; check the dialect and field limits on both sides.',
  },
  SORTLINE_ERR_SESSION_WINDOW_FULL: {
    area: 'session',
    doc: "The peer sent a frame further ahead than the receive window (`duplicateWindow`) while older frames still wait for their ACK; it is answered with NAK `busy` and the peer resends it later. Raise `duplicateWindow` to at least the peer's `maxInFlight`.",
  },
  SORTLINE_ERR_SESSION_PEER_RESET: {
    area: 'session',
    doc: "The peer's sequence numbers jumped back or far ahead (it restarted, or its link sync says so): duplicate suppression starts afresh from the peer's new numbers. Expected after a PLC restart; frequent resets point at a peer that does not keep its numbering.",
  },
  SORTLINE_ERR_SESSION_BAD_SEQ: {
    area: 'session',
    doc: 'The peer sent a business message asking for an ACK with sequence number 0, which no frame may carry (0 means "none"). The frame is dropped.',
  },
  SORTLINE_ERR_SESSION_HANDLER: {
    area: 'session',
    doc: 'The business handler threw while handling a received message; the session logs it and carries on. A deferred-ACK message is not acknowledged, so the peer resends it.',
  },
  SORTLINE_ERR_SESSION_HOLE_SKIPPED: {
    area: 'session',
    doc: 'A warning: sequence numbers of the peer never arrived and the peer no longer holds them (a frame further ahead than the window arrived, so they lie outside any compliant sender\'s window): they are given up, counted (`holesSkipped`) and the window moves on (docs/protocol.md "Holes"). The frames were refused earlier or lost in a peer restart.',
  },
  SORTLINE_ERR_SESSION_SYNC_REQUIRED: {
    area: 'session',
    doc: 'The peer sent business frames without a link sync on this connection, or reused sequence numbers with other content (it restarted without one): they are answered NAK `resync` and not delivered, counted (`unsyncedFrames`, `reusedSeqs`). The PLC must send a link sync after every connect and restart, then resend (docs/protocol.md "Link sync").',
  },
  SORTLINE_ERR_SESSION_CLOCK_SKEW: {
    area: 'session',
    doc: "A business frame's header timestamp lies outside the clock window (`clockWindowMs`, default 10 min) of our clock: it is refused with NAK `clock`, never delivered, so the peer's clock cannot move ours; counted (`clockRefused`). Set the PLC's clock (NTP), or stamp 0 when it has none.",
  },
  SORTLINE_ERR_SESSION_PEER_NOT_READING: {
    area: 'session',
    doc: "The peer does not read what we write: more than `maxWriteBufferBytes` wait for it, or writes stayed blocked for `writeStallMs`. Reading from it was paused first (backpressure); now the link is dropped (`notReading`), so one peer cannot grow the controller's memory or starve other links.",
  },
  SORTLINE_ERR_SESSION_WINDOW_STALL: {
    area: 'session',
    doc: 'The receive window stayed held by frames whose ACK waits for the owner (for example the journal) for `windowStallMs`: the link is reset — the window starts afresh and the link is dropped so the peer reconnects, syncs and resends. Duplicates by task id are still recognised by the sort service.',
  },
  SORTLINE_ERR_SESSION_AUTH_FAILED: {
    area: 'session',
    doc: 'A link sync did not answer the controller\'s challenge with the right proof of the gateway secret (docs/protocol.md "Authentication"): the connection is closed, logged and counted (`authFailures`). Check that the PLC and the controller are configured with the same secret.',
  },
  SORTLINE_ERR_SESSION_SECOND_PEER: {
    area: 'session',
    doc: "A second peer completed a link sync while the gateway's link is alive: it is refused, not a takeover (`refusedPeers`). A new link replaces the current one only from the same peer address, or once the current link has received nothing for `takeoverIdleMs` (default 10 s).",
  },
  SORTLINE_ERR_SESSION_HANDSHAKE: {
    area: 'session',
    doc: 'A connection did not complete its link sync within `handshakeTimeoutMs` (default 5 s), sent too many bytes before it, or more connections waited for their sync than `maxCandidates`: it is closed (`handshakeFailures`).',
  },
  // controller/config, controller/service, controller/journal (docs/operations.md)
  SORTLINE_ERR_CONFIG_INVALID: {
    area: 'config',
    doc: 'The `sortline serve` configuration (file and flags) failed validation; `details` lists every fault with its JSON pointer (unknown key, wrong type, out-of-range value, a chute number used twice, a chute map missing a chute of the plan). Nothing is started. Exit code 2. docs/operations.md lists every key.',
  },
  SORTLINE_ERR_SERVICE_UNKNOWN_CHUTE: {
    area: 'service',
    doc: 'An operator command, or a sort confirmation from the PLC, named a chute number that no chute of the machine has; the message gives the number. A confirmation is refused with NAK `malformed` (the PLC must not resend it), not counted and not applied (`unknownChuteConfirmations`), logged once per burst; the controller keeps running. See the chute numbering in docs/operations.md.',
  },
  SORTLINE_ERR_SERVICE_BAD_CHUTE_STATE: {
    area: 'service',
    doc: 'An operator command gave a chute state that is not one of open, full, blocked, disabled, bagging (codes 0–4), or a fill outside 0–65535.',
  },
  SORTLINE_ERR_SERVICE_TASK_ID_REUSED: {
    area: 'service',
    doc: "A warning: a sort request carried the task id of an open task but other content (reads, induct, carrier, weight of the same turn; or an earlier turn stamped after the task's latest request): another parcel with a reused id, as from a PLC that restarted. The old task is closed as `trackingLost` (journaled) and the request opens a new task, which is routed and answered; counted (`taskIdReuses`), logged once per burst. A PLC must never reuse the id of a parcel it still tracks.",
  },
  SORTLINE_ERR_SERVICE_OVERLOADED: {
    area: 'service',
    doc: 'A warning: past its capacity the controller answers sort requests it cannot serve in time with a destination reply of status `busy` (load shedding, docs/operations.md "Overload"): requests queued longer than `service.admission.maxQueueDelayMs` (measured from the PLC\'s frame stamps), or while the journal is too far behind. Counted (`busyReplies`), logged once per burst. The PLC treats `busy` as a late reply.',
  },
  SORTLINE_ERR_SERVICE_REPLY_DROPPED: {
    area: 'service',
    doc: "A warning: a destination reply could not be queued for the PLC — the gateway had no link, or the session's send queue was full because the PLC does not acknowledge our frames. Counted (`missingReplies`), journaled as not sent, logged once per burst.",
  },
  SORTLINE_ERR_SERVICE_STALE_REQUEST: {
    area: 'service',
    doc: 'A warning: sort requests were not answered because they are stale — an older turn than their open task\'s, or a request of a task already closed (turn not after the closing turn, stamped no later than the closing frame). Logged once per burst and counted (`staleRequests`, `staleAfterClose`). Many of them after a restart mean the PLC reuses task ids without stamping its frames with its clock (docs/operations.md "Tasks").',
  },
  SORTLINE_ERR_SERVICE_UNEXPECTED_MESSAGE: {
    area: 'service',
    doc: 'A warning: the PLC sent a message only the controller sends (a destination reply). It is acknowledged, so the PLC does not resend it, ignored, counted (`unexpectedMessages`) and logged once per burst. Check the PLC program, and that the PLC is not wired as the controller.',
  },
  SORTLINE_ERR_SERVICE_SESSION_UNSAFE: {
    area: 'service',
    doc: 'A gateway session was attached to the sort service with options that do not meet `SortService.requires`: its `deferAck` lacks a type whose ACK must wait for the journal commit (`sortConfirmation`), so a confirmation would be acknowledged before it is durable. The session is refused. Build the session options from `service.requires` (as `controller/server.ts` does).',
  },
  SORTLINE_ERR_JOURNAL_OPEN: {
    area: 'journal',
    doc: 'The journal database could not be opened or created (directory not writable, not an SQLite file, disk full); the message gives the path and the SQLite error.',
  },
  SORTLINE_ERR_JOURNAL_LOCKED: {
    area: 'journal',
    doc: 'Another running controller process holds the journal (its process id is in `journal.lock` next to the database). Stop it, or give this one another `--data` directory. A lock left by a killed process is taken over automatically.',
  },
  SORTLINE_ERR_JOURNAL_SCHEMA: {
    area: 'journal',
    doc: 'The journal database was written by a newer Sortline (a schema version this build does not know), or is not a Sortline journal. Use a matching Sortline or another `--data` directory.',
  },
  SORTLINE_ERR_JOURNAL_WRITE: {
    area: 'journal',
    doc: 'A journal transaction failed (disk full, I/O error). Confirmations in it are not acknowledged, so the PLC keeps them and resends; the controller stops and exits 1. Free space or fix the disk and restart: the journal rebuilds from what was committed.',
  },
  // controller/emulator (`sortline emulate`, docs/emulator.md)
  SORTLINE_ERR_EMULATOR_BAD_OPTION: {
    area: 'emulator',
    doc: 'An option of the emulated PLC is out of range (time scale, parcel count, a fault rate outside 0–1, a negative delay); the message names the option and the allowed range.',
  },
  SORTLINE_ERR_EMULATOR_NO_EXCEPTION_CHUTE: {
    area: 'emulator',
    doc: "The emulated PLC has no exception chute for parcels whose destination reply came too late: the chute named for them is not one of the scenario's exception chutes. Name one of `sorter.exceptionChutes`.",
  },
  SORTLINE_ERR_EMULATOR_NO_CONTROLLER: {
    area: 'emulator',
    doc: 'The emulated PLC found no controller: no connection at the gateway address within the connect timeout, or a connection over which nothing valid came back (no link sync, no heartbeat) — the controller speaks another dialect, or the address is not a Sortline controller. No parcel was created. Start `sortline serve` first, check the address (`--connect`) and that both sides use the same `--dialect`.',
  },
  SORTLINE_ERR_EMULATOR_UNACKNOWLEDGED: {
    area: 'emulator',
    doc: 'The emulated PLC stopped with sort confirmations the controller never acknowledged (or parcels without a terminal outcome) after the drain timeout; the message lists the task ids. The ledger summary is still written; the exit code is 1.',
  },
} as const satisfies Record<string, ErrorDoc>;

/** A stable Sortline error code. */
export type ErrorCode = keyof typeof ERRORS;

/** One fault inside a multi-fault error (plan or scenario validation). */
export interface ErrorDetail {
  /** JSON pointer (RFC 6901) to the offending value, `''` for the document root. */
  readonly pointer: string;
  /** What is wrong and what was expected. */
  readonly message: string;
}

/** Where in the input the fault lies; every field is optional and set when known. */
export interface ErrorLocation {
  /** File path, when the input came from a file. */
  readonly path?: string;
  /** JSON pointer (RFC 6901) of the offending value. */
  readonly pointer?: string;
  /** 1-based line number in a text input. */
  readonly line?: number;
  /** 1-based column number in a text input. */
  readonly column?: number;
  /** 0-based byte or character offset in a frame or label. */
  readonly offset?: number;
  /** Every fault, when there is more than one. */
  readonly details?: readonly ErrorDetail[];
}

/**
 * An error with a stable code from {@link ERRORS} and where it happened.
 *
 * `message` is for people; programs branch on `code`. `details` carries every fault of a
 * validation that checks a whole document.
 */
export class SortlineError extends Error {
  readonly code: ErrorCode;
  readonly path?: string;
  readonly pointer?: string;
  readonly line?: number;
  readonly column?: number;
  readonly offset?: number;
  readonly details: readonly ErrorDetail[];

  constructor(
    code: ErrorCode,
    message: string,
    where: ErrorLocation = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SortlineError';
    this.code = code;
    if (where.path !== undefined) this.path = where.path;
    if (where.pointer !== undefined) this.pointer = where.pointer;
    if (where.line !== undefined) this.line = where.line;
    if (where.column !== undefined) this.column = where.column;
    if (where.offset !== undefined) this.offset = where.offset;
    this.details = where.details ?? [];
  }
}

/** True when `e` is a {@link SortlineError} (also across realms, by duck type on `code`). */
export function isSortlineError(e: unknown): e is SortlineError {
  return (
    e instanceof SortlineError ||
    (typeof e === 'object' &&
      e !== null &&
      typeof (e as { code?: unknown }).code === 'string' &&
      (e as { code: string }).code in ERRORS)
  );
}

/** Renders the table as the Markdown of `docs/errors.md`. */
export function renderErrorsMarkdown(): string {
  const lines = [
    '# Error codes',
    '',
    'Generated from `core/errors.ts` by `npm run docs:errors`; do not edit by hand.',
    'Codes are stable: programs may branch on them. Messages may change.',
    '',
    '| code | area | meaning |',
    '| --- | --- | --- |',
  ];
  for (const [code, row] of Object.entries(ERRORS) as [ErrorCode, ErrorDoc][]) {
    lines.push(`| \`${code}\` | ${row.area} | ${row.doc.replace(/\|/g, '\\|')} |`);
  }
  return lines.join('\n') + '\n';
}
