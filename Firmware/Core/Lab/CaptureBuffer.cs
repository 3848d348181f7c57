using SolidBms.Core.Measurement;

namespace SolidBms.Core.Lab
{
    /// <summary>
    /// High-rate capture: a ring of the most recent samples at the loop rate. On a trigger (a trip or a
    /// command) it keeps recording for the post-trigger window, then freezes pre + post samples and holds
    /// them until they are downloaded and released. A later trip never overwrites a trip's window (the first
    /// event is kept, not its aftermath), but a trip always replaces a manual window, recording or held, so a
    /// manual trigger cannot make the capture miss the real event. A trip's window may be released only once it is
    /// held and has been downloaded whole (<see cref="MayRelease"/>). All storage is allocated at start-up.
    /// </summary>
    public sealed class CaptureBuffer
    {
        private readonly int _cells;
        private readonly int[] _timeMs; // the low 32 bits of each sample's time: 4 bytes a sample, not 8
        private long _newestTimeMs;     // the full time of the newest sample, which the others are told from
        private readonly short[] _currentCentiA;
        private readonly short[] _cellMillivolts;
        private readonly short[] _maxTemperatureDeciC;
        private readonly short[] _pressureKpa;
        private readonly byte[] _state;
        private int _head;
        private int _count;
        private int _postRemaining;

        /// <summary>Trigger codes (event log CaptureTriggered code, <see cref="TriggerCause"/>).</summary>
        public const ushort TriggerTrip = 0, TriggerManual = 1, TriggerTripReplacedManual = 2;

        public CaptureBuffer(int cells, int capacity, int preTriggerSamples)
        {
            _cells = cells;
            Capacity = capacity;
            PreTriggerSamples = preTriggerSamples < capacity ? preTriggerSamples : capacity - 1;
            _timeMs = new int[capacity];
            _currentCentiA = new short[capacity];
            _cellMillivolts = new short[capacity * cells];
            _maxTemperatureDeciC = new short[capacity];
            _pressureKpa = new short[capacity];
            _state = new byte[capacity];
            TriggerTimeMs = -1;
        }

        public int Capacity { get; private set; }

        public int PreTriggerSamples { get; private set; }

        public bool Triggered { get; private set; }

        /// <summary>Pre- and post-trigger windows complete: held until <see cref="Release"/>.</summary>
        public bool Frozen { get; private set; }

        public long TriggerTimeMs { get; private set; }

        /// <summary>What triggered the window in progress or held: <see cref="TriggerTrip"/>, <see cref="TriggerManual"/>
        /// or <see cref="TriggerTripReplacedManual"/>; meaningless until <see cref="Triggered"/>.</summary>
        public ushort TriggerCause { get; private set; }

        /// <summary>The window was triggered by a trip (not a manual command).</summary>
        public bool TriggeredByTrip { get { return Triggered && TriggerCause != TriggerManual; } }

        /// <summary>Counts accepted triggers: a download names the window it read by this number.</summary>
        public int Generation { get; private set; }

        /// <summary>The held window has been sent whole (a download that began after it froze ran to its end).</summary>
        public bool Downloaded { get; private set; }

        /// <summary>
        /// A release may discard the window: a manual one at any time (the key holder's own), a trip's only once it
        /// is held and downloaded, so its pre-trip samples cannot be lost before anyone has read them.
        /// </summary>
        public bool MayRelease { get { return !TriggeredByTrip || (Frozen && Downloaded); } }

        /// <summary>A download of window <paramref name="generation"/>, begun after it froze, has ended.</summary>
        public void MarkDownloaded(int generation)
        {
            if (Frozen && generation == Generation) Downloaded = true;
        }

        /// <summary>Samples available to download once frozen.</summary>
        public int Count { get { return _count; } }

        /// <summary>One sample: the tick's measurement and state, with its hottest cell and lowest pressure as summarised by the supervisor.</summary>
        public void Record(PackMeasurement m, byte state, float maxTemperatureC, float minPressureKpa)
        {
            if (Frozen) return;
            int i = _head, capacity = _timeMs.Length; // the arrays' own length: no property call (every tick)
            long now = m.TimestampMs;
            _timeMs[i] = unchecked((int)now);
            _newestTimeMs = now;
            _currentCentiA[i] = EventRecord.Pack(m.PackCurrentStatus == SensorStatus.Ok ? m.PackCurrentA : float.NaN, 100f);
            EventRecord.PackReadings(m.CellMillivolts, m.CellVoltageStatus, _cells, 1f, _cellMillivolts, i * _cells);
            _maxTemperatureDeciC[i] = EventRecord.Pack(maxTemperatureC, 10f);
            _pressureKpa[i] = EventRecord.Pack(minPressureKpa, 1f);
            _state[i] = state;
            _head = i + 1 == capacity ? 0 : i + 1; // wraps without a division (every tick)
            if (_count < capacity) _count++;
            if (Triggered && --_postRemaining <= 0) Frozen = true;
        }

        /// <summary>
        /// Starts the post-trigger window now. Ignored while a capture is in progress or held, except that a trip
        /// replaces a manual window: a held one is dropped whole (its samples end at its freeze, so they are no
        /// pre-trigger history of the trip), one still recording keeps its recent samples as the trip's pre-window.
        /// </summary>
        public bool Trigger(long nowMs, bool byTrip)
        {
            ushort cause = byTrip ? TriggerTrip : TriggerManual;
            if (Triggered)
            {
                if (!byTrip || TriggerCause != TriggerManual) return false;
                if (Frozen) _count = 0;
                Frozen = false;
                cause = TriggerTripReplacedManual;
            }
            Triggered = true;
            Generation++;
            Downloaded = false;
            TriggerCause = cause;
            TriggerTimeMs = nowMs;
            _postRemaining = Capacity - PreTriggerSamples;
            // Keep no more pre-trigger history than the window asks for.
            // Stryker disable once Equality : at equality the count is set to the value it has
            if (_count > PreTriggerSamples) _count = PreTriggerSamples;
            return true;
        }

        /// <summary>Sample k (0 = oldest) of the held capture.</summary>
        public long TimeMsAt(int k)
        {
            // Its distance from the newest in 32 bits: exact while the window spans under 24 days (it spans 30 s).
            return _newestTimeMs - unchecked((int)_newestTimeMs - _timeMs[Index(k)]);
        }

        public short CurrentCentiAAt(int k) { return _currentCentiA[Index(k)]; }

        public short CellMillivoltsAt(int k, int cell) { return _cellMillivolts[Index(k) * _cells + cell]; }

        public short MaxTemperatureDeciCAt(int k) { return _maxTemperatureDeciC[Index(k)]; }

        public short PressureKpaAt(int k) { return _pressureKpa[Index(k)]; }

        public byte StateAt(int k) { return _state[Index(k)]; }

        private int Index(int k) { return (_head - _count + k + 2 * Capacity) % Capacity; }

        /// <summary>After download: back to continuous recording.</summary>
        public void Release()
        {
            Triggered = false;
            Downloaded = false;
            Frozen = false;
            TriggerTimeMs = -1;
        }
    }
}
