#ifndef REPRO_SPIN_PAUSE_H
#define REPRO_SPIN_PAUSE_H

/// The processor's spin-wait hint (x86 PAUSE, ARM YIELD), which Swift has no spelling for: a
/// waiting loop leaves pipeline resources to the other hardware thread and spends less power.
void repro_spin_pause(void);

#endif
