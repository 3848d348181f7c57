using SolidBms.Core.Hal;
using SolidBms.Core.Measurement;
using SolidBms.Core.Safety;

namespace SolidBms.Core.Lab
{
    /// <summary>
    /// Turns what the loop sees into event-log records and capture samples: a record for every fault level
    /// raised or cleared, every trip, and the reset at start-up, each with the key readings; a capture
    /// trigger on the first trip (replacing a manual window). Remembers the previous levels in a fixed array: allocation-free per tick.
    /// Refusals are summarised (<see cref="RefusalSummary"/>), never written one each: the newest
    /// <see cref="GuaranteedRecords"/> records of every other kind survive any sequence of open commands.
    /// </summary>
    public sealed class LabRecorder
    {
        private readonly EventLog _log;
        private readonly CaptureBuffer _capture;
        private readonly int[] _previousLevel;
        // The supervisor's ClassLevels when _previousLevel was last brought up to date: 0 at first, as every class starts
        // at None (level 0), so no first walk is owed.
        private ulong _walkedLevels;
        private readonly RefusalSummary _refusals = new RefusalSummary();

        public LabRecorder(EventLog log, CaptureBuffer capture, int faultClassCount)
        {
            _log = log;
            _capture = capture;
            _previousLevel = new int[faultClassCount];
            if (log == null) return;
            // The summaries a reset left in the ring still count toward MaxHeld (once, at start-up).
            EventRecord r;
            for (int k = 0; k < log.SlotCount; k++)
                if (log.TryReadRingSlot(k, out r) && r.Kind == EventKind.Refusals) _refusals.Remember(r.Sequence);
        }

        public RefusalSummary Refusals { get { return _refusals; } }

        /// <summary>
        /// How many of the newest records other than refusal summaries the log always holds, whatever anyone without
        /// the key sends: the fewest records a wrapped ring holds, less the summaries it may hold (docs/lab.md).
        /// </summary>
        public int GuaranteedRecords { get { return _log == null ? 0 : _log.MinimumHeld - RefusalSummary.MaxHeld; } }

        public EventLog Log { get { return _log; } }

        public CaptureBuffer Capture { get { return _capture; } }

        public void OnTick(PackMeasurement m, SafetySupervisor supervisor, float packSoc, byte state, long nowMs)
        {
            // Stryker disable once Equality : a shortcut: with nothing pending RefusalSummary.Due is false
            if (_refusals.Pending > 0) FlushRefusals(m, packSoc, state, nowMs); // a count that waited for its interval or a free place
            if (_capture != null) _capture.Record(m, state, supervisor.MaxTemperatureC, supervisor.MinPressureKpa); // summarised once, by the supervisor
            bool newTrip = false;
            // Stryker disable once Equality : the lesser of two counts: at equality both arms are the same
            int n = supervisor.FaultClassCount < _previousLevel.Length ? supervisor.FaultClassCount : _previousLevel.Length;
            // Nearly every tick no class changes level: the supervisor's packed levels say so without a walk (exact: every
            // class has two bits there: the supervisor has at most 32 classes, and a test holds it).
            ulong levels = supervisor.ClassLevels;
            // Stryker disable once Statement : a shortcut: without it the walk finds no class changed and writes nothing
            if (levels == _walkedLevels) return;
            _walkedLevels = levels;
            for (int c = 0; c < n; c++)
            {
                int level = supervisor.ClassLevel(c);
                int before = _previousLevel[c];
                if (level == before) continue;
                _previousLevel[c] = level;
                if (level == LevelMonitor.Trip) { newTrip = true; Append(EventKind.TripLatched, (ushort)c, m, packSoc, state, nowMs); }
                // Stryker disable once Equality : equal levels were skipped above
                else if (level > before) Append(EventKind.FaultRaised, (ushort)(c | (level << 8)), m, packSoc, state, nowMs);
                else Append(EventKind.FaultCleared, (ushort)(c | (level << 8)), m, packSoc, state, nowMs);
            }
            if (newTrip && _capture != null && _capture.Trigger(nowMs, true))
                Append(EventKind.CaptureTriggered, _capture.TriggerCause, m, packSoc, state, nowMs);
        }

        /// <summary>One record; <paramref name="code"/> holds up to 24 bits. An UnlockRefused is counted into the next
        /// refusal summary instead (every caller's refusals, both ports and the abuse-test mode, pass here).</summary>
        public void Append(EventKind kind, uint code, PackMeasurement m, float packSoc, byte state, long nowMs)
        {
            if (_log == null) return;
            if (kind == EventKind.UnlockRefused)
            {
                _refusals.Count(code);
                FlushRefusals(m, packSoc, state, nowMs);
                return;
            }
            Write(kind, code, m, packSoc, state, nowMs);
        }

        /// <summary>Writes the refusal summary if one is due (RefusalSummary.Due); called on every refusal and every tick.</summary>
        public void FlushRefusals(PackMeasurement m, float packSoc, byte state, long nowMs)
        {
            if (_log == null || !_refusals.Due(nowMs, _log.NextSequence, _log.SlotCount)) return;
            uint sequence = _log.NextSequence;
            Write(EventKind.Refusals, _refusals.Code, m, packSoc, state, nowMs);
            _refusals.Written(sequence, nowMs);
        }

        private void Write(EventKind kind, uint code, PackMeasurement m, float packSoc, byte state, long nowMs)
        {
            var r = new EventRecord
            {
                Kind = kind,
                TimeMs = nowMs,
                MinCellMillivolts = EventRecord.Pack(m.MinCellMillivolts(), 1f),
                MaxCellMillivolts = EventRecord.Pack(m.MaxCellMillivolts(), 1f),
                MaxTemperatureDeciC = EventRecord.Pack(m.MaxTemperatureC(), 10f),
                CurrentCentiA = EventRecord.Pack(m.PackCurrentStatus == SensorStatus.Ok ? m.PackCurrentA : float.NaN, 100f),
                PressureKpa = EventRecord.Pack(m.MinPressureKpa(), 1f),
                SocPermille = EventRecord.Pack(packSoc, 1000f),
                State = state,
            };
            r.SetWideCode(code);
            _log.Append(r);
        }

        /// <summary>Start-up record: why the processor reset.</summary>
        public void OnReset(ResetCause cause, PackMeasurement m, long nowMs)
        {
            Append(EventKind.Reset, (ushort)cause, m, float.NaN, 0, nowMs);
        }
    }
}
