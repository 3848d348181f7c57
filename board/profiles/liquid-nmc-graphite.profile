# Limit profile for comparison: conventional liquid-electrolyte NMC/graphite cell (3 Ah class),
# in the same pouch fixture. Differences from the ASSB profile and why:
# - charge allowed colder (graphite, not Li metal) but derated; hotter cut-off lower (liquid electrolyte,
#   SEI breakdown from ~60-80 C);
# - stack pressure matters far less: a liquid cell wets its interfaces at any pressure, so the
#   low-pressure limits only catch a fixture that has let go.

[profile]
name = liquid-nmc-graphite
chemistry = liquid-carbonate / NMC / graphite

[cellOverVoltage]
warning = 4180
alarm = 4200
trip = 4250
qualifyMs = 1000
tripQualifyMs = 500
hysteresis = 30

[cellUnderVoltage]
warning = 3000
alarm = 2800
trip = 2500
qualifyMs = 1000
tripQualifyMs = 1000
hysteresis = 50

[chargeOverCurrent]
# 1C charge is ordinary for a power-balanced NMC/graphite pouch.
warning = 3.2
alarm = 3.5
trip = 4.5
qualifyMs = 2000
tripQualifyMs = 1000
hysteresis = 0.05

[dischargeOverCurrent]
warning = 6.5
alarm = 8.0
trip = 10.0
qualifyMs = 2000
tripQualifyMs = 500
hysteresis = 0.05

[chargeOverTemperature]
warning = 40
alarm = 45
trip = 50
qualifyMs = 5000
tripQualifyMs = 2000
hysteresis = 2

[chargeUnderTemperature]
# Lithium plating on graphite below ~0-10 C at high rate.
warning = 10
alarm = 5
trip = 0
qualifyMs = 5000
tripQualifyMs = 2000
hysteresis = 2

[dischargeOverTemperature]
warning = 50
alarm = 55
trip = 60
qualifyMs = 5000
tripQualifyMs = 2000
hysteresis = 2

[dischargeUnderTemperature]
warning = -10
alarm = -15
trip = -20
qualifyMs = 5000
tripQualifyMs = 2000
hysteresis = 2

[stackPressureLow]
warning = 50
alarm = 30
trip = 10
qualifyMs = 2000
tripQualifyMs = 2000
hysteresis = 5

[stackPressureHigh]
warning = 1500
alarm = 2000
trip = 2500
qualifyMs = 2000
tripQualifyMs = 2000
hysteresis = 20

[stackPressureRate]
# Gas from electrolyte decomposition is the classic swelling failure of liquid pouch cells.
warning = 0.5
alarm = 1.0
trip = 2.0
qualifyMs = 5000
tripQualifyMs = 3000
hysteresis = 0.1

[cellImbalance]
warning = 50
alarm = 100
trip = 200
qualifyMs = 10000
tripQualifyMs = 10000
hysteresis = 10

[current]
maxChargeA = 3.0
maxDischargeA = 6.0
idleA = 0.05
alarmDerateFactor = 0.5

[sensors]
faultQualifyMs = 500
pressureRateWindowMs = 10000
temperatureRateWindowMs = 30000

[packOverVoltage]
# mV per cell, the mean of the series string (the stack voltage divided by the cell count). Sits just
# under the cell trip: a balanced string overcharged as a whole trips here first.
warning = 4170
alarm = 4190
trip = 4230
qualifyMs = 1000
tripQualifyMs = 500
hysteresis = 30

[packUnderVoltage]
# mV per cell, string mean. Just above the cell trip, for the same reason.
warning = 3050
alarm = 2850
trip = 2600
qualifyMs = 1000
tripQualifyMs = 1000
hysteresis = 50

[shortCircuit]
# A, discharge or charge magnitude, the fast path: no qualification, evaluated every tick on the raw
# reading, and a current sensor pinned at its rail counts as beyond the trip (a short saturates it).
warning = 15
alarm = 20
trip = 30
qualifyMs = 0
tripQualifyMs = 0
hysteresis = 0.5

[temperatureRiseRate]
# degC per minute, fastest cell, over sensors.temperatureRateWindowMs. At 0.5C the cell warms by far
# less than 1 C/min; a soft internal short dissipating watts heats the cell at tens of C/min.
warning = 2
alarm = 5
trip = 10
qualifyMs = 5000
tripQualifyMs = 3000
hysteresis = 0.5

[chargeAboveLimit]
# A by which the charge current exceeds the allowed (derated) charge limit. Li metal plates as dendrites
# when charged faster than its derated limit (cold, low pressure, near full): a charger that ignores the
# limit is stopped.
warning = 0.05
alarm = 0.1
trip = 0.2
qualifyMs = 2000
tripQualifyMs = 5000
hysteresis = 0.02

[r0Growth]
# % rise of ohmic resistance over its commissioning baseline, worst cell. Contact loss at the
# Li/electrolyte interface (delamination, voids) shows first as R0 growth.
warning = 30
alarm = 60
trip = 100
qualifyMs = 60000
tripQualifyMs = 60000
hysteresis = 5

[loopLate]
# ms a tick started late (beyond its period). The watchdog resets the board at its own timeout; this
# catches a loop that is slow but alive.
warning = 50
alarm = 100
trip = 500
qualifyMs = 0
tripQualifyMs = 0
hysteresis = 10

[derating]
# State of power (docs/estimation.md): factors 0..1 on [current] maxChargeA / maxDischargeA, multiplied.
temperaturesC = -20, -10, 0, 10, 25, 40, 45, 50, 55, 60
# Charge: graphite plates lithium in the cold at high rate: 0 at and below the 0 C chargeUnderTemperature
# trip, 0.5 at 10 C (its warning), full from 25 C; 0.5 at the 40 C chargeOverTemperature warning, 0 at its 45 C alarm.
chargeByTemperature = 0, 0, 0, 0.5, 1, 0.5, 0, 0, 0, 0
# Discharge: liquid electrolyte conductivity roughly halves per 20 K of cooling: 0.3 at -20 C, 0.5 at -10 C,
# 0.7 at 0 C, 0.9 at 10 C; from the 50 C warning down to 0.5 at 55 C and 0 at 60 C.
dischargeByTemperature = 0.3, 0.5, 0.7, 0.9, 1, 1, 1, 1, 0.5, 0
socPoints = 0, 0.05, 0.1, 0.9, 0.95, 1
# Charge tapers near full like a CV phase (graphite plating risk is highest at high SOC): 0.5 at 95 %, 0.1 at 100 %.
chargeBySoc = 1, 1, 1, 1, 0.5, 0.1
# Discharge near empty: the cell's resistance rises steeply below 10 %: 0.3 at 0 %, 0.6 at 5 %.
dischargeBySoc = 0.3, 0.6, 1, 1, 1, 1
# A liquid cell wets its interfaces at any pressure: no low-pressure derating; a stack above the 1500 kPa
# warning is swelling (gas), so halve charge there and stop it at 2500.
pressuresKpa = 0, 1500, 2500
chargeByPressure = 1, 1, 0
dischargeByPressure = 1, 1, 0.5
# Voltage-prediction horizon, s: the 10 s HPPC pulse.
horizonS = 10

[balancing]
# Passive (bleed) balancing policy (docs/balancing.md). Graphite cells tolerate bleeding in discharge:
# allowed while every cell is above 80 % SOC (the top of charge, where imbalance costs capacity).
enabled = true
socBased = true
startSocDeltaPercent = 0.5
stopSocDeltaPercent = 0.2
startMillivolts = 5
stopMillivolts = 2
voltageRestS = 1800
dischargeSocFloorPercent = 80
# Bleed heat: 5 K under the 40 C charge-temperature warning, resume 5 K lower.
stopTemperatureC = 35
temperatureHysteresisC = 5
convergedSigmaPercent = 1.5
