using SolidBms.Core.Loop;
using SolidBms.Core.Safety;
using SolidBms.Core.Util;

namespace SolidBms.Core.Protocol
{
    /// <summary>
    /// Parses and answers one command line (docs/protocol.md, "Commands"): VERB [ARG...] with an optional
    /// "*XXXX" CRC suffix. Every line gets exactly one response (LOG: several lines, the last one "end").
    /// Input that is malformed, unknown or fails its checksum is answered with an error and changes nothing.
    /// Parsing works in place on the reader's buffer: no allocation.
    /// </summary>
    public sealed class LineCommands
    {
        public const string ErrUnknown = "E01", ErrMalformed = "E02", ErrChecksum = "E03", ErrOverlong = "E04",
            ErrNotAuthorised = "E05", ErrLockedOut = "E06", ErrBadKey = "E07", ErrRefused = "E08", ErrUnknownKey = "E09";

        private const int MaxTokens = 5;
        private const int LogLinesShown = 8;

        private readonly ProtocolEndpoint _ep;
        private readonly BmsController _c;
        private readonly int[] _start = new int[MaxTokens];
        private readonly int[] _len = new int[MaxTokens];
        private int _tokens;

        public LineCommands(ProtocolEndpoint endpoint, BmsController controller)
        {
            _ep = endpoint;
            _c = controller;
        }

        public void Overlong(AsciiWriter w) { Error(w, "?", ErrOverlong, "line longer than 120 bytes, ignored"); }

        public void Handle(byte[] b, int length, long nowMs, AsciiWriter w)
        {
            int end = length;
            for (int i = 0; i < length; i++)
            {
                if (b[i] < 0x20 || b[i] > 0x7E) { Error(w, "?", ErrMalformed, "non-printable byte"); return; }
            }
            int star = -1;
            for (int i = 0; i < length; i++) if (b[i] == '*') { star = i; break; }
            if (star >= 0)
            {
                if (star != length - 5 || !ChecksumMatches(b, star)) { Error(w, "?", ErrChecksum, "checksum: the 4 hex digits after the star must be the CRC-16 of the line before it"); return; }
                end = star;
            }
            if (!Tokenise(b, end)) { Error(w, "?", ErrMalformed, "too many arguments"); return; }
            if (_tokens == 0) { Error(w, "?", ErrMalformed, "empty command"); return; }

            if (Is(b, 0, "STATUS")) { if (Args(w, b, "STATUS", 0)) Status(w, nowMs); }
            else if (Is(b, 0, "VERSION")) { if (Args(w, b, "VERSION", 0)) Version(w); }
            else if (Is(b, 0, "GET")) { if (Args(w, b, "GET", 1)) Get(w, b); }
            else if (Is(b, 0, "SET")) { if (Args(w, b, "SET", 2)) Set(w, b, nowMs); }
            else if (Is(b, 0, "UNLOCK")) { if (Args(w, b, "UNLOCK", 1)) Unlock(w, b, nowMs); }
            else if (Is(b, 0, "LOCK")) { if (Args(w, b, "LOCK", 0)) { _ep.Lock(_ep.LineSession, WriteLog.SourceLine, nowMs); Ok(w, "LOCK"); End(w); } }
            else if (Is(b, 0, "CLEAR")) { if (Args(w, b, "CLEAR", 0)) Clear(w, nowMs); }
            else if (Is(b, 0, "TIME")) { if (Args(w, b, "TIME", 1)) Time(w, b, nowMs); }
            else if (Is(b, 0, "CAPTURE")) Capture(w, b, nowMs);
            else if (Is(b, 0, "LOG")) LogLines(w, b);
            else if (Is(b, 0, "EVENTS")) { if (Args(w, b, "EVENTS", 0)) StartDownload(w, LabDownload.Events, "EVENTS"); }
            else if (Is(b, 0, "ABUSE")) Abuse(w, b, nowMs);
            else Error(w, "?", ErrUnknown, "unknown command; commands: STATUS VERSION GET SET UNLOCK LOCK CLEAR TIME CAPTURE LOG EVENTS ABUSE");
        }

        private static bool ChecksumMatches(byte[] b, int star)
        {
            int crc = 0;
            for (int i = star + 1; i < star + 5; i++)
            {
                int h = LineProtocol.HexValue(b[i]);
                if (h < 0) return false;
                crc = (crc << 4) | h;
            }
            return crc == Crc16.Compute(b, 0, star);
        }

        private bool Tokenise(byte[] b, int end)
        {
            _tokens = 0;
            int i = 0;
            while (i < end)
            {
                while (i < end && b[i] == ' ') i++;
                if (i >= end) break;
                if (_tokens == MaxTokens) return false;
                _start[_tokens] = i;
                while (i < end && b[i] != ' ') i++;
                _len[_tokens] = i - _start[_tokens];
                _tokens++;
            }
            return true;
        }

        private bool Is(byte[] b, int token, string word)
        {
            if (_len[token] != word.Length) return false;
            int s = _start[token];
            for (int i = 0; i < word.Length; i++)
            {
                int c = b[s + i];
                if (c >= 'a' && c <= 'z') c -= 32;
                if (c != word[i]) return false;
            }
            return true;
        }

        private bool Args(AsciiWriter w, byte[] b, string verb, int count)
        {
            if (_tokens - 1 == count) return true;
            Error(w, verb, ErrMalformed, count == 0 ? "takes no arguments" : (count == 1 ? "takes one argument" : "takes two arguments"));
            return false;
        }

        private void Status(AsciiWriter w, long nowMs)
        {
            SafetySupervisor s = _c.Supervisor;
            Ok(w, "STATUS");
            w.Append(",state="); w.Append(BmsStateNames.Of(_c.State));
            w.Append(",status="); Hex4(w, _ep.Status(nowMs));
            w.Append(",trips="); Hex8(w, FaultBits.Trips(s));
            w.Append(",alarms="); Hex8(w, FaultBits.AtLevel(s, LevelMonitor.Alarm));
            w.Append(",warnings="); Hex8(w, FaultBits.AtLevel(s, LevelMonitor.Warning));
            w.Append(",lock=");
            w.Append(_ep.Auth.IsLockedOut(nowMs) ? "lockout" : (_ep.LineSession.IsUnlocked(nowMs) ? "unlocked" : "locked"));
            AppendKeyState(w);
            w.Append(",abuse=");
            if (_c.Abuse.Armed)
            {
                w.Append("armed:"); Hex8(w, _c.Abuse.InhibitMask);
                w.Append(",abuseLeftS="); w.Append((long)_ep.AbuseRemainingS(nowMs));
            }
            else w.Append("inhibited");
            w.Append(",capture="); w.Append(_ep.CaptureActive ? "on" : "off");
            if (_c.Lab != null)
            {
                w.Append(",labCapture=");
                w.Append(_c.Lab.Capture.Frozen ? "held" : (_c.Lab.Capture.Triggered ? "recording" : "armed"));
            }
            w.Append(",periodMs="); w.Append(_ep.TelemetryPeriodMs);
            w.Append(",unix=");
            long unix = _ep.UnixSeconds(nowMs);
            if (unix >= 0) w.Append(unix); else w.Append('-');
            w.Append(",writes="); w.Append(_ep.Log.Total);
            w.Append(",refused="); w.Append(_ep.Log.Refused);
            w.Append(",frames="); w.Append(_ep.FramesSent);
            w.Append(",dropped="); w.Append(_ep.TelemetryDropped);
            w.Append(",profile="); LineProtocol.AppendText(w, s.Profile.Name);
            End(w);
        }

        private void Version(AsciiWriter w)
        {
            Ok(w, "VERSION");
            w.Append(",fw="); w.Append(LineProtocol.FirmwareVersion);
            w.Append(",protocol="); w.Append((long)LineProtocol.Version);
            w.Append(",modbusMap="); w.Append((long)ModbusRegisterMap.MapVersion);
            w.Append(",board="); LineProtocol.AppendText(w, _c.Board.Name);
            w.Append(",cells="); w.Append(_c.Board.CellCount);
            w.Append(",stacks="); w.Append(_c.Board.StackCount);
            AppendKeyState(w);
            End(w);
        }

        /// <summary>",deviceKey=placeholder" (no write is possible until the board file's key is changed) or ",deviceKey=set".</summary>
        private void AppendKeyState(AsciiWriter w)
        {
            w.Append(",deviceKey="); w.Append(_ep.Auth.IsPlaceholder ? "placeholder" : "set");
        }

        private int Field(AsciiWriter w, byte[] b, string verb)
        {
            int f = _ep.Fields.Find(b, _start[1], _len[1]);
            if (f < 0) Error(w, verb, ErrUnknownKey, "unknown key; keys are section.key of the profile, e.g. cellOverVoltage.trip");
            return f;
        }

        private void Get(AsciiWriter w, byte[] b)
        {
            int f = Field(w, b, "GET");
            if (f < 0) return;
            Ok(w, "GET");
            AppendField(w, f, _ep.Fields.Get(_c.Supervisor, f));
            End(w);
        }

        private void AppendField(AsciiWriter w, int f, double value)
        {
            w.Append(','); _ep.Fields.AppendName(f, w); w.Append('=');
            if (_ep.Fields.Unit(f) == "bool") w.Append(value != 0 ? "true" : "false");
            else LineProtocol.AppendNumber(w, value);
            w.Append(','); w.Append(_ep.Fields.Unit(f));
        }

        private void Set(AsciiWriter w, byte[] b, long nowMs)
        {
            int f = Field(w, b, "SET");
            if (f < 0) return;
            double value;
            if (Is(b, 2, "TRUE")) value = 1;
            else if (Is(b, 2, "FALSE")) value = 0;
            else if (!NumberParser.TryParseDouble(b, _start[2], _len[2], out value)) { Error(w, "SET", ErrMalformed, "value must be a number (or true/false)"); return; }
            _ep.ClearStaged();
            _ep.Stage(f, value);
            int r = _ep.ApplyStaged(_ep.LineSession, WriteLog.SourceLine, nowMs);
            if (Refused(w, "SET", r)) return;
            Ok(w, "SET");
            AppendField(w, f, _ep.Fields.Get(_c.Supervisor, f));
            End(w);
        }

        private void Unlock(AsciiWriter w, byte[] b, long nowMs)
        {
            int r = _ep.Unlock(_ep.LineSession, WriteLog.SourceLine, b, _start[1], _len[1], nowMs);
            if (r == WriteLog.ResultAccepted)
            {
                Ok(w, "UNLOCK");
                w.Append(",idleTimeoutS="); w.Append((long)(AuthSession.IdleTimeoutMs / 1000));
            }
            else if (r == WriteLog.ResultNotAuthorised)
            {
                ErrorBegin(w, "UNLOCK", ErrNotAuthorised, _ep.LastRefusal);
            }
            else if (r == WriteLog.ResultLockedOut)
            {
                ErrorBegin(w, "UNLOCK", ErrLockedOut, "locked out after repeated failures; retry in s=");
                w.Append(_ep.Auth.LockoutRemainingS(nowMs));
            }
            else
            {
                ErrorBegin(w, "UNLOCK", ErrBadKey, "wrong key; failures before lockout=");
                w.Append(_ep.Auth.IsLockedOut(nowMs) ? DeviceAuth.MaxFailures : _ep.Auth.Failures);
                w.Append('/'); w.Append((long)DeviceAuth.MaxFailures);
            }
            End(w);
        }

        private void Clear(AsciiWriter w, long nowMs)
        {
            int r = _ep.ClearTrips(_ep.LineSession, WriteLog.SourceLine, nowMs);
            if (Refused(w, "CLEAR", r)) return;
            Ok(w, "CLEAR");
            End(w);
        }

        private void Time(AsciiWriter w, byte[] b, long nowMs)
        {
            double t;
            if (!NumberParser.TryParseDouble(b, _start[1], _len[1], out t) || t != (long)t) { Error(w, "TIME", ErrMalformed, "time must be whole seconds since 1970 (UTC)"); return; }
            int r = _ep.SetTime(_ep.LineSession, WriteLog.SourceLine, (long)t, nowMs);
            if (Refused(w, "TIME", r)) return;
            Ok(w, "TIME");
            w.Append(",unix="); w.Append(_ep.UnixSeconds(nowMs));
            End(w);
        }

        private void Capture(AsciiWriter w, byte[] b, long nowMs)
        {
            int r;
            if (_tokens == 2 && Is(b, 1, "TRIGGER"))
            {
                r = _ep.CaptureTrigger(_ep.LineSession, WriteLog.SourceLine, nowMs);
                if (Refused(w, "CAPTURE", r)) return;
                Ok(w, "CAPTURE"); w.Append(",triggered"); End(w);
                return;
            }
            if (_tokens == 2 && Is(b, 1, "DUMP"))
            {
                StartDownload(w, LabDownload.Capture, "CAPTURE");
                return;
            }
            if (_tokens == 2 && Is(b, 1, "RELEASE"))
            {
                r = _ep.CaptureRelease(_ep.LineSession, WriteLog.SourceLine, nowMs);
                if (Refused(w, "CAPTURE", r)) return;
                Ok(w, "CAPTURE"); w.Append(",released"); End(w);
                return;
            }
            bool start = _tokens >= 2 && Is(b, 1, "START");
            bool stop = _tokens == 2 && Is(b, 1, "STOP");
            double period = _c.Board.TickMs;
            if (!(start || stop) || _tokens > 3 || (start && _tokens == 3 && (!NumberParser.TryParseDouble(b, _start[2], _len[2], out period) || period != (int)period)))
            {
                Error(w, "CAPTURE", ErrMalformed, "CAPTURE START [periodMs], CAPTURE STOP, CAPTURE TRIGGER, CAPTURE DUMP or CAPTURE RELEASE");
                return;
            }
            r = _ep.Capture(start, (int)period, WriteLog.SourceLine, nowMs);
            if (Refused(w, "CAPTURE", r)) return;
            Ok(w, "CAPTURE");
            w.Append(start ? ",on,periodMs=" : ",off,periodMs=");
            w.Append(_ep.TelemetryPeriodMs);
            End(w);
        }

        /// <summary>EVENTS / CAPTURE DUMP: reading is open; the lines follow over the next ticks.</summary>
        private void StartDownload(AsciiWriter w, int kind, string verb)
        {
            if (_c.Lab == null) { Error(w, verb, ErrRefused, "no event log or capture on this board"); return; }
            if (_ep.Download.Busy) { Error(w, verb, ErrRefused, "a download is already running"); return; }
            _ep.Download.Start(kind);
            Ok(w, verb);
            w.Append(kind == LabDownload.Events ? ",start,slots=" : ",start,samples=");
            w.Append((long)(kind == LabDownload.Events ? (_c.Lab.Log == null ? 0 : _c.Lab.Log.SlotCount) : (_c.Lab.Capture == null ? 0 : _c.Lab.Capture.Count)));
            End(w);
        }

        /// <summary>LOG: the last 8 entries held; LOG seq: 8 held entries from sequence number seq on, to page through
        /// both rings (key holder's and open: WriteLog), oldest first.</summary>
        private void LogLines(AsciiWriter w, byte[] b)
        {
            WriteLog log = _ep.Log;
            long first = log.NewestFrom(LogLinesShown);
            if (_tokens > 2) { Error(w, "LOG", ErrMalformed, "LOG or LOG seq (a sequence number; the end line gives the oldest held)"); return; }
            if (_tokens == 2)
            {
                double seq;
                if (!NumberParser.TryParseDouble(b, _start[1], _len[1], out seq) || seq != (long)seq || seq < 0)
                { Error(w, "LOG", ErrMalformed, "LOG or LOG seq (a sequence number; the end line gives the oldest held)"); return; }
                first = (long)seq;
            }
            int shown = 0;
            for (int slot = log.NextSlot(first); slot >= 0 && shown < LogLinesShown; slot = log.NextSlot(log.Sequence(slot) + 1), shown++)
            {
                long seq = log.Sequence(slot);
                Ok(w, "LOG");
                w.Append(','); w.Append(seq);
                w.Append(",t_ms="); w.Append(log.TimeMs(slot));
                w.Append(','); w.Append(WriteLog.SourceName(log.Source(slot)));
                w.Append(','); w.Append(WriteLog.ActionName(log.Action(slot)));
                w.Append(',');
                int f = log.Field(slot);
                if (f >= 0)
                {
                    _ep.Fields.AppendName(f, w); w.Append('='); LineProtocol.AppendNumber(w, log.Value(slot));
                    if (log.FieldCount(slot) > 1) { w.Append('+'); w.Append(log.FieldCount(slot) - 1); w.Append("more"); }
                }
                else if (log.Action(slot) == WriteLog.ActionSetTime || log.Action(slot) == WriteLog.ActionCaptureStart
                    || log.Action(slot) == WriteLog.ActionAbuseRequest || log.Action(slot) == WriteLog.ActionAbuseConfirm) LineProtocol.AppendNumber(w, log.Value(slot));
                else w.Append('-');
                if (log.FirstRegister(slot) >= 0)
                {
                    w.Append(",regs="); w.Append(log.FirstRegister(slot));
                    w.Append('-'); w.Append(log.FirstRegister(slot) + log.RegisterCount(slot) - 1);
                }
                w.Append(','); w.Append(WriteLog.ResultName(log.Result(slot)));
                End(w);
            }
            Ok(w, "LOG");
            w.Append(",end,total="); w.Append(log.Total);
            w.Append(",oldest="); w.Append(log.Oldest);
            w.Append(",refused="); w.Append(log.Refused);
            End(w);
        }

        /// <summary>
        /// ABUSE REQUEST name maskHex expiryS | ABUSE CONFIRM name | ABUSE DISARM (docs/protocol.md). Request and
        /// confirm need the unlock; disarm only restores protection and is open.
        /// </summary>
        private void Abuse(AsciiWriter w, byte[] b, long nowMs)
        {
            const string usage = "ABUSE REQUEST name maskHex expiryS, ABUSE CONFIRM name or ABUSE DISARM";
            int r;
            if (_tokens == 2 && Is(b, 1, "DISARM"))
            {
                _ep.AbuseDisarm(WriteLog.SourceLine, nowMs);
                Ok(w, "ABUSE"); w.Append(",disarmed"); End(w);
                return;
            }
            if (_tokens == 5 && Is(b, 1, "REQUEST"))
            {
                uint mask = 0; // assigned so that a mutated || still compiles (mutation testing)
                double expiryS = 0;
                if (!ParseHex(b, _start[3], _len[3], out mask) || !NumberParser.TryParseDouble(b, _start[4], _len[4], out expiryS)
                    || expiryS != (int)expiryS || expiryS <= 0 || expiryS > 4 * 3600)
                {
                    Error(w, "ABUSE", ErrMalformed, "mask is 1..8 hex digits (bit = fault class), expiry whole seconds 1..14400");
                    return;
                }
                r = _ep.AbuseRequest(_ep.LineSession, WriteLog.SourceLine, Text(b, 2), mask, (int)expiryS * 1000, nowMs);
                if (Refused(w, "ABUSE", r)) return;
                Ok(w, "ABUSE"); w.Append(",requested,confirm within s=30"); End(w);
                return;
            }
            if (_tokens == 3 && Is(b, 1, "CONFIRM"))
            {
                r = _ep.AbuseConfirm(_ep.LineSession, WriteLog.SourceLine, Text(b, 2), nowMs);
                if (Refused(w, "ABUSE", r)) return;
                Ok(w, "ABUSE"); w.Append(",armed:"); Hex8(w, _c.Abuse.InhibitMask);
                w.Append(",expiresInS="); w.Append((long)_ep.AbuseRemainingS(nowMs));
                End(w);
                return;
            }
            Error(w, "ABUSE", ErrMalformed, usage);
        }

        /// <summary>A token as a string: allocates, so only for arming an abuse test (a configuration change).</summary>
        private string Text(byte[] b, int token)
        {
            char[] c = new char[_len[token]];
            for (int i = 0; i < c.Length; i++) c[i] = (char)b[_start[token] + i];
            return new string(c);
        }

        private static bool ParseHex(byte[] b, int start, int length, out uint value)
        {
            value = 0;
            if (length < 1 || length > 8) return false;
            for (int i = start; i < start + length; i++)
            {
                int h = LineProtocol.HexValue(b[i]);
                if (h < 0) return false;
                value = (value << 4) | (uint)h;
            }
            return true;
        }

        /// <summary>Writes the error for a refused action; false when it was accepted.</summary>
        private bool Refused(AsciiWriter w, string verb, int result)
        {
            if (result == WriteLog.ResultAccepted) return false;
            if (result == WriteLog.ResultNotAuthorised) Error(w, verb, ErrNotAuthorised, _ep.LastRefusal);
            else Error(w, verb, ErrRefused, _ep.LastRefusal);
            return true;
        }

        private int _lineStart;

        private void Ok(AsciiWriter w, string verb)
        {
            _lineStart = LineProtocol.Begin(w, "SBR");
            w.Append(",OK,");
            w.Append(verb);
        }

        private void Error(AsciiWriter w, string verb, string code, string reason)
        {
            ErrorBegin(w, verb, code, reason);
            End(w);
        }

        private void ErrorBegin(AsciiWriter w, string verb, string code, string reason)
        {
            _lineStart = LineProtocol.Begin(w, "SBR");
            w.Append(",ERR,");
            w.Append(verb);
            w.Append(',');
            w.Append(code);
            w.Append(',');
            LineProtocol.AppendText(w, reason);
        }

        private void End(AsciiWriter w) { LineProtocol.End(w, _lineStart); }

        private static void Hex8(AsciiWriter w, uint v)
        {
            Hex4(w, (int)(v >> 16));
            Hex4(w, (int)(v & 0xFFFF));
        }

        private static void Hex4(AsciiWriter w, int v)
        {
            w.AppendHexByte(v >> 8);
            w.AppendHexByte(v & 0xFF);
        }
    }
}
