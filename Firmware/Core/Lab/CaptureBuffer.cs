using SolidBms.Core.Measurement;

namespace SolidBms.Core.Lab
{
    /// <summary>
    /// High-rate capture: a ring of the most recent samples at the loop rate. On a trigger (a trip or a
    /// command) it keeps recording for the post-trigger window, then freezes pre + post samples and holds
    /// them until they are downloaded and released; a second trigger while frozen is ignored, so the first
    /// event is never overwritten by its aftermath. All storage is allocated at start-up.
    /// </summary>
    public sealed class CaptureBuffer
    {
        private readonly int _cells;
        private readonly long[] _timeMs;
        private readonly short[] _currentCentiA;
        private readonly short[] _cellMillivolts;
        private readonly short[] _maxTemperatureDeciC;
        private readonly short[] _pressureKpa;
        private readonly byte[] _state;
        private int _head;
        private int _count;
        private int _postRemaining;

        public CaptureBuffer(int cells, int capacity, int preTriggerSamples)
        {
            _cells = cells;
            Capacity = capacity;
            PreTriggerSamples = preTriggerSamples < capacity ? preTriggerSamples : capacity - 1;
            _timeMs = new long[capacity];
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

        /// <summary>Samples available to download once frozen.</summary>
        public int Count { get { return _count; } }

        public void Record(PackMeasurement m, byte state)
        {
            if (Frozen) return;
            int i = _head;
            _timeMs[i] = m.TimestampMs;
            _currentCentiA[i] = EventRecord.Pack(m.PackCurrentStatus == SensorStatus.Ok ? m.PackCurrentA : float.NaN, 100f);
            for (int c = 0; c < _cells; c++)
                _cellMillivolts[i * _cells + c] = EventRecord.Pack(m.CellVoltageStatus[c] == SensorStatus.Ok ? m.CellMillivolts[c] : float.NaN, 1f);
            _maxTemperatureDeciC[i] = EventRecord.Pack(m.MaxTemperatureC(), 10f);
            _pressureKpa[i] = EventRecord.Pack(m.MinPressureKpa(), 1f);
            _state[i] = state;
            _head = (_head + 1) % Capacity;
            if (_count < Capacity) _count++;
            if (Triggered && --_postRemaining <= 0) Frozen = true;
        }

        /// <summary>Starts the post-trigger window now. Ignored while a capture is in progress or held.</summary>
        public bool Trigger(long nowMs)
        {
            if (Triggered) return false;
            Triggered = true;
            TriggerTimeMs = nowMs;
            _postRemaining = Capacity - PreTriggerSamples;
            // Keep no more pre-trigger history than the window asks for.
            if (_count > PreTriggerSamples) _count = PreTriggerSamples;
            return true;
        }

        /// <summary>Sample k (0 = oldest) of the held capture.</summary>
        public long TimeMsAt(int k) { return _timeMs[Index(k)]; }

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
            Frozen = false;
            TriggerTimeMs = -1;
        }
    }
}
