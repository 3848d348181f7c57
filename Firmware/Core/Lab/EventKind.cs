namespace SolidBms.Core.Lab
{
    /// <summary>What an event-log record says happened. Values are stored in flash: never renumber.</summary>
    public enum EventKind : byte
    {
        Reset = 1,
        FaultRaised = 2,
        FaultCleared = 3,
        TripLatched = 4,
        TripsCleared = 5,
        ConfigChanged = 6,
        ConfigRejected = 7,
        Unlocked = 8,
        /// <summary>Written one per refusal before issue 21 (code 0 bad key, 1 abuse request, 2 abuse confirmation, 3 locked
        /// out, 4 placeholder key); now summarised in <see cref="Refusals"/> records. Kept to decode older images.</summary>
        UnlockRefused = 9,
        SettingWritten = 10,
        AbuseArmed = 11,
        AbuseDisarmed = 12,
        /// <summary>Code: CaptureBuffer.TriggerTrip, TriggerManual, or TriggerTripReplacedManual.</summary>
        CaptureTriggered = 13,
        ClearRefused = 14,
        /// <summary>A sensor bus was recovered after a chip failed repeatedly; code = the chip (SensorSource value).</summary>
        SensorBusRecovered = 15,
        /// <summary>A held or recording capture was released by a key holder; code 1 = it was held (frozen).</summary>
        CaptureReleased = 16,
        /// <summary>Refusals summarised (RefusalSummary): code bits 0..15 = how many since the previous such record
        /// (65535: at least that many), bits 16..23 = which (bit r set: an UnlockRefused code r was among them).</summary>
        Refusals = 17,
        /// <summary>Second line of defence (weld): code low byte 1 = second means commanded open, 2 = the current stopped after it; high byte = the means (SecondMeansSettings: 1 bq76952 FETs, 2 GPIO, 0 none).</summary>
        SecondDisconnect = 18,
        /// <summary>The fuse-blow output was driven (weld, second means failed, hazard confirmed); code = the output (1 bq76952 FUSE pin, 2 GPIO).</summary>
        FuseBlown = 19,
        /// <summary>A saved estimator state was offered at start-up (SocMemory): code 0 restored, 1 another cell file wrote it,
        /// 2 a value out of range, 3 it disagreed with the cells' voltages (charged elsewhere while off: not used).</summary>
        SocRestore = 20,
        /// <summary>An operator's disconnect hold over a port (SunSpec SetOp) was set (code 1) or ended (code 0).</summary>
        OperatorDisconnect = 21,
    }
}
